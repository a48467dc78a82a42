import type { HeadConfig } from "../../models/bert/config.ts";
import type { StepKind } from "./step.ts";

/** Trains the regression head on the embeddings; the best epoch by dev RMSE is kept. */
export const trainHeadStep: StepKind<{ head: HeadConfig }> = {
  kind: "train_head",
  modules: [import.meta.url],
  describe: (p) =>
    `${p.head.kind} head${p.head.kind === "mlp" ? ` [${p.head.hidden.join(", ")}]` : ""}, ` +
    `${p.head.epochs} epochs, lr ${p.head.learning_rate}`,
  async run(params, inputs, ctx) {
    const { trainRegressionHead } = await import("../../models/bert/head.ts");
    const hidden = inputs.embed.meta.hidden as number;
    const x = inputs.embed.tables.embeddings.x as Float32Array;
    const score = inputs.clean.tables.clean_items.score as Float32Array;
    const rows = (part: string) => inputs.split.tables[part].row as Int32Array;
    const [train, dev, test] = [rows("train"), rows("dev"), rows("test")];
    // Embeddings are stored train, dev, test in that order.
    const slice = (from: number, count: number) =>
      x.subarray(from * hidden, (from + count) * hidden);
    const result = await trainRegressionHead(
      slice(0, train.length),
      hidden,
      Float64Array.from(train, (i) => score[i]),
      slice(train.length, dev.length),
      Float64Array.from(dev, (i) => score[i]),
      slice(train.length + dev.length, test.length),
      params.head,
      ctx.log,
    );
    ctx.log(`best epoch ${result.bestEpoch} of ${result.curve.length} (${result.backend} backend)`);
    return {
      tables: { dev: { pred: result.predDev }, test: { pred: result.predTest } },
      meta: {
        best_epoch: result.bestEpoch,
        backend: result.backend,
        curves: {
          train_rmse: result.curve.map((e) => e.trainRmse),
          dev_rmse: result.curve.map((e) => (Number.isNaN(e.devRmse) ? null : e.devRmse)),
        },
      },
    };
  },
};
