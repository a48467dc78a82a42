import type { StepKind } from "./step.ts";

export interface TinyBertParams {
  seed: number;
  /** vocabulary cap of the generated WordPiece tokenizer */
  max_vocab: number;
}

/**
 * Generates a tiny BERT model folder (ONNX graph + tokenizer files) whose WordPiece
 * vocabulary is built from the training synopses: what runs when no real model folder is
 * given, through the same loading code as a real one. Nothing is downloaded.
 */
export const tinyBertStep: StepKind<TinyBertParams> = {
  kind: "tiny_bert",
  modules: [import.meta.url],
  describe: (p) =>
    `generated tiny BERT, vocabulary of at most ${p.max_vocab} from training synopses`,
  async run(params, inputs, ctx) {
    const { writeTinyBert } = await import("../../models/bert/tiny_bert.ts");
    const synopsis = inputs.clean.tables.clean_items.synopsis as string[];
    const train = inputs.split.tables.train.row as Int32Array;
    const texts = Array.from(train, (i) => synopsis[i]);
    const shape = await writeTinyBert(ctx.filesDir(), {
      texts,
      seed: params.seed,
      maxVocab: params.max_vocab,
    });
    return { tables: {}, meta: { shape } };
  },
};
