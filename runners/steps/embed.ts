import type { EncoderConfig } from "../../models/bert/config.ts";
import { UserError } from "../errors.ts";
import type { StepKind } from "./step.ts";

export interface EmbedParams {
  /** the user's model folder; absent when the tiny model is generated upstream */
  model_dir?: string;
  encoder: EncoderConfig;
}

/**
 * Synopses to embeddings with a frozen encoder: train, dev and test items, in that order.
 * A step of its own, so a sweep over head settings never embeds again.
 */
export const embedStep: StepKind<EmbedParams> = {
  kind: "embed",
  modules: [import.meta.url],
  describe: (p) =>
    `${
      p.model_dir ?? "generated tiny BERT"
    }, ${p.encoder.pooling} pooling, ${p.encoder.max_length} tokens${
      p.encoder.quantized ? ", int8" : ""
    }`,
  async run(params, inputs, ctx) {
    const { loadEncoder } = await import("../../models/bert/encoder.ts");
    const dir = params.model_dir ?? ctx.inputFiles("model");
    let encoder;
    try {
      encoder = await loadEncoder(dir, params.encoder);
    } catch (error) {
      // Problems with the folder's content are the user's to fix: exit 2, named.
      throw new UserError((error as Error).message, { path: "model.model_dir" });
    }
    try {
      const synopsis = inputs.clean.tables.clean_items.synopsis as string[];
      const rows = ["train", "dev", "test"].flatMap((part) =>
        Array.from(inputs.split.tables[part].row as Int32Array)
      );
      const texts = rows.map((i) => synopsis[i]);
      const x = await encoder.embed(texts, (done, total) => ctx.progress(done, total, "synopses"));
      ctx.log(`${texts.length} synopses -> ${encoder.hidden}-dimensional embeddings`);
      return {
        tables: { embeddings: { x } },
        meta: { hidden: encoder.hidden, items: texts.length },
      };
    } finally {
      await encoder.dispose();
    }
  },
};
