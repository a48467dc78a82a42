/**
 * The BERT score regressor's public pieces: a frozen ONNX encoder from a local model folder,
 * the regression head trained on its embeddings, the options schemas, and a generator of
 * small model folders for tests and benchmarks. Heavy libraries load on first use only.
 */
export {
  type BertConfig,
  BertConfigSchema,
  type EncoderConfig,
  EncoderConfigSchema,
  type FinetuneConfig,
  FinetuneConfigSchema,
  type HeadConfig,
  HeadConfigSchema,
  parseOptions,
} from "./config.ts";
export { checkTexts, type Encoder, loadEncoder, type ProgressCallback } from "./encoder.ts";
export { type EpochScores, type HeadResult, rmse, trainRegressionHead } from "./head.ts";
export { inspectModelFolder, type ModelFolder } from "./model_folder.ts";
export { parseScore, type ScoredSynopses, selectScoredSynopses } from "./synopsis_rows.ts";
export { loadTokenizer, type TextTokenizer, type TokenizedTexts } from "./tokenizer.ts";
export { bertConfigJson, type TinyBertOptions, writeTinyBert } from "./tiny_bert.ts";
export { type TfBackendName, tfjsWithBackend } from "./tfjs_backend.ts";
