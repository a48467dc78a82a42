import type { EncoderConfig } from "../../models/bert/config.ts";
import { UserError } from "../errors.ts";
import type { StepKind } from "./step.ts";

export interface LowerStatesParams {
  /** the user's model folder; absent when the tiny model is generated upstream */
  model_dir?: string;
  encoder: EncoderConfig;
  /** the top layers fine-tuning trains (the rest run here); null: all, embeddings too */
  trained_layers: number | null;
}

/**
 * The input of fine-tuning, for train, dev and test items in that order: token ids, and
 * with frozen lower layers their output states from onnxruntime (computed once, cached, so
 * a sweep over fine-tuning settings never recomputes them).
 */
export const lowerStatesStep: StepKind<LowerStatesParams> = {
  kind: "lower_states",
  modules: [import.meta.url],
  describe: (p) =>
    p.trained_layers === null
      ? `token ids, ${p.encoder.max_length} tokens`
      : `embeddings + the layers below the top ${p.trained_layers} through onnxruntime ` +
        `(${p.encoder.execution_provider}), ${p.encoder.max_length} tokens`,
  async run(params, inputs, ctx) {
    const { loadTokenizer } = await import("../../models/bert/tokenizer.ts");
    const { loadBertWeights } = await import("../../models/bert/bert_weights_file.ts");
    const { computeLowerStates } = await import("../../models/bert/lower_states.ts");
    const dir = params.model_dir ?? ctx.inputFiles("model");
    const synopsis = inputs.clean.tables.clean_items.synopsis as string[];
    const rows = ["train", "dev", "test"].flatMap((part) =>
      Array.from(inputs.split.tables[part].row as Int32Array)
    );
    try {
      const tokens = (await loadTokenizer(dir)).tokenize(
        rows.map((i) => synopsis[i]),
        params.encoder.max_length,
      );
      const tables: Record<string, Record<string, Int32Array | Float32Array>> = {
        tokens: { ids: tokens.ids },
        texts: { offset: tokens.offsets },
      };
      let hidden = 0;
      if (params.trained_layers !== null) {
        const { weights } = await loadBertWeights(dir);
        hidden = weights.shape.hidden;
        const frozen = weights.shape.layers - params.trained_layers;
        if (frozen < 0) {
          throw new UserError(
            `model.finetune.layers: ${params.trained_layers} layers to train, but the encoder ` +
              `has ${weights.shape.layers}`,
            { path: "model.finetune.layers" },
          );
        }
        tables.states = {
          x: await computeLowerStates(weights, frozen, tokens, {
            batchSize: params.encoder.batch_size,
            executionProvider: params.encoder.execution_provider,
            threads: params.encoder.threads,
            progress: (done, total) => ctx.progress(done, total, "synopses"),
          }),
        };
        ctx.log(
          `${rows.length} synopses, ${tokens.ids.length} tokens -> states after layer ${frozen}`,
        );
      }
      return {
        tables,
        meta: { texts: rows.length, tokens: tokens.ids.length, hidden },
      };
    } catch (error) {
      if (error instanceof UserError) throw error;
      // Problems with the folder's content are the user's to fix: exit 2, named.
      throw new UserError((error as Error).message, { path: "model.model_dir" });
    }
  },
};
