import type { EncoderConfig, FinetuneConfig } from "../../models/bert/config.ts";
import { UserError } from "../errors.ts";
import type { StepKind } from "./step.ts";

export interface FinetuneParams {
  model_dir?: string;
  encoder: EncoderConfig;
  finetune: FinetuneConfig;
}

/** Where the fine-tuned model folder goes, inside the artifact's files and the run folder. */
export const MODEL_FOLDER = "model";

/**
 * Fine-tunes the encoder with a regression output, the best epoch by dev RMSE kept; each
 * epoch is checkpointed in the cache so a killed run resumes. The fine-tuned encoder is
 * saved as a model folder (`model/`), which the run folder receives.
 */
export const finetuneStep: StepKind<FinetuneParams> = {
  kind: "finetune",
  modules: [import.meta.url],
  describe: (p) =>
    `fine-tune ${p.finetune.layers === "all" ? "all layers" : `top ${p.finetune.layers}`}, ` +
    `${p.finetune.epochs} epochs, batch ${p.finetune.batch_size}, lr ${p.finetune.learning_rate}` +
    `, ${p.finetune.device}`,
  async run(params, inputs, ctx) {
    const { loadBertWeights } = await import("../../models/bert/bert_weights_file.ts");
    const { DivergedError, finetuneBert } = await import("../../models/bert/finetune.ts");
    const { writeFinetunedFolder } = await import("../../models/bert/finetuned_folder.ts");
    const dir = params.model_dir ?? ctx.inputFiles("model");
    let weights;
    try {
      weights = (await loadBertWeights(dir)).weights;
    } catch (error) {
      throw new UserError((error as Error).message, { path: "model.model_dir" });
    }
    const score = inputs.clean.tables.clean_items.score as Float32Array;
    const rows = (part: string) => inputs.split.tables[part].row as Int32Array;
    const [train, dev, test] = [rows("train"), rows("dev"), rows("test")];
    // texts are stored train, dev, test in that order
    const range = (from: number, count: number) =>
      Int32Array.from({ length: count }, (_, i) => from + i);
    const states = inputs.states.tables.states?.x as Float32Array | undefined;
    let result;
    try {
      result = await finetuneBert({
        weights,
        tokens: {
          ids: inputs.states.tables.tokens.ids as Int32Array,
          offsets: inputs.states.tables.texts.offset as Int32Array,
        },
        lowerStates: states ?? null,
        train: range(0, train.length),
        dev: range(train.length, dev.length),
        test: range(train.length + dev.length, test.length),
        yTrain: Float64Array.from(train, (i) => score[i]),
        yDev: Float64Array.from(dev, (i) => score[i]),
      }, {
        config: params.finetune,
        pooling: params.encoder.pooling,
        checkpointDir: ctx.checkpointDir?.(),
        progress: (done, total, unit) => ctx.progress(done, total, unit),
        log: ctx.log,
      });
    } catch (error) {
      if (error instanceof DivergedError) {
        throw new UserError(error.message, { path: "model.finetune.learning_rate" });
      }
      if (String(error).includes("Aborted()")) {
        // the wasm heap (4 GiB) ran out: tfjs-wasm aborts without saying so
        throw new UserError(
          `fine-tuning ran out of WebAssembly memory (4 GiB at most): set ` +
            `model.finetune.checkpoint_layers: true, or lower model.finetune.batch_size ` +
            `(${params.finetune.batch_size}) or model.encoder.max_length ` +
            `(${params.encoder.max_length})`,
          { path: "model.finetune.checkpoint_layers" },
        );
      }
      if ((error as Error).message.startsWith("model.finetune.")) {
        const path = (error as Error).message.split(/[: ]/)[0];
        throw new UserError((error as Error).message, { path });
      }
      throw error;
    }
    ctx.log(
      `best epoch ${result.bestEpoch} of ${result.curve.length} (${result.backend} backend, ` +
        `${result.examplesPerSecond.toFixed(1)} examples/s)`,
    );
    const files = await writeFinetunedFolder(dir, `${ctx.filesDir()}/${MODEL_FOLDER}`, result, {
      pooling: params.encoder.pooling,
      max_length: params.encoder.max_length,
    });
    return {
      tables: { dev: { pred: result.predDev }, test: { pred: result.predTest } },
      meta: {
        best_epoch: result.bestEpoch,
        backend: result.backend,
        examples_per_second: result.examplesPerSecond,
        resumed_after: result.resumedAfter,
        curves: {
          train_rmse: result.curve.map((e) => e.trainRmse),
          dev_rmse: result.curve.map((e) => (Number.isNaN(e.devRmse) ? null : e.devRmse)),
        },
        run_folder_files: files.map((f) => `${MODEL_FOLDER}/${f}`),
      },
    };
  },
};
