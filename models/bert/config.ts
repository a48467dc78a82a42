/**
 * Validated options of the BERT score regressor: the frozen encoder that turns synopses into
 * embeddings, and the regression head trained on them. Unknown keys are errors (a misspelt
 * option must not silently fall back to its default and still hit the cache).
 */
import { z } from "zod";

export const EncoderConfigSchema = z.object({
  /** use onnx/model_quantized.onnx (int8 weights) instead of onnx/model.onnx */
  quantized: z.boolean().default(false),
  /** sentence vector: the [CLS] token's state, or the mean over non-padding tokens */
  pooling: z.enum(["cls", "mean"]).default("mean"),
  /** tokens per synopsis, [CLS] and [SEP] included (the study: 256) */
  max_length: z.number().int().min(2).max(8192).default(256),
  /** synopses per onnxruntime call; batches are grouped by length to limit padding */
  batch_size: z.number().int().min(1).max(4096).default(16),
  /** onnxruntime intra-op threads; onnxruntime picks when absent */
  threads: z.number().int().min(1).optional(),
}).strict();
export type EncoderConfig = z.infer<typeof EncoderConfigSchema>;
export type EncoderConfigInput = z.input<typeof EncoderConfigSchema>;

export const HeadConfigSchema = z.object({
  /** "linear": one dense output; "mlp": ReLU hidden layers of sizes `hidden`, then the output */
  kind: z.enum(["linear", "mlp"]).default("mlp"),
  hidden: z.array(z.number().int().min(1)).default([64]),
  epochs: z.number().int().min(1).default(100),
  batch_size: z.number().int().min(1).default(32),
  learning_rate: z.number().positive().default(1e-3),
  /** epochs without a better dev RMSE before stopping; 0 trains all epochs */
  patience: z.number().int().min(0).default(10),
  /** L2 penalty on the weights (not biases) */
  l2: z.number().min(0).default(0),
  /** seeds initialisation and batch order */
  seed: z.number().int().default(42),
  /** tfjs backend; wasm falls back to cpu with a warning when it cannot start */
  backend: z.enum(["wasm", "cpu"]).default("wasm"),
}).strict();
export type HeadConfig = z.infer<typeof HeadConfigSchema>;
export type HeadConfigInput = z.input<typeof HeadConfigSchema>;

export const FINETUNE_UNSUPPORTED = "fine-tuning the encoder is not supported yet";

export const BertConfigSchema = z.object({
  encoder: EncoderConfigSchema.default(EncoderConfigSchema.parse({})),
  head: HeadConfigSchema.default(HeadConfigSchema.parse({})),
  /** reserved: the study fine-tunes BERT end to end; here the encoder is frozen */
  finetune: z.literal(false, { error: `${FINETUNE_UNSUPPORTED} (set finetune: false)` })
    .default(false),
}).strict();
export type BertConfig = z.infer<typeof BertConfigSchema>;

/** Parses options, turning zod's issues into one Error that names each field path. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join(".");
    return `${path}: ${issue.message}`;
  });
  throw new Error(`invalid options: ${problems.join("; ")}`);
}
