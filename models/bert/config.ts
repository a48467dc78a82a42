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
  /** onnxruntime execution provider (e.g. "cpu", "cuda", "coreml", "dml") */
  execution_provider: z.string().min(1).default("cpu"),
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

/**
 * Fine-tuning the encoder with the regression output on top, the study's way (HF Trainer:
 * AdamW, lr 2e-5, 3 epochs, batch 16, linear decay, gradient norm clipped at 1, the epoch
 * with the best dev RMSE kept). `layers: N` trains the top N encoder layers only: the frozen
 * lower part runs once through onnxruntime and its output states are cached.
 */
export const FinetuneConfigSchema = z.object({
  /** "all": every layer and the embeddings; N: the top N layers */
  layers: z.union([z.literal("all"), z.number().int().min(1)], {
    error: `expected "all" or a number of top layers (>= 1)`,
  }).default("all"),
  epochs: z.number().int().min(1).default(3),
  batch_size: z.number().int().min(1).max(4096).default(16),
  learning_rate: z.number().positive().default(2e-5),
  /** decoupled weight decay (AdamW), not applied to biases and LayerNorm weights */
  weight_decay: z.number().min(0).default(0.01),
  /** fraction of the steps over which the learning rate rises linearly from 0 */
  warmup_ratio: z.number().min(0).max(1).default(0),
  /** gradients are scaled down to this global L2 norm; 0 disables clipping */
  max_grad_norm: z.number().min(0).default(1),
  /** seeds the regression output's initialisation and the batch order */
  seed: z.number().int().default(42),
  /** where tfjs trains: "cpu" (WebAssembly) or "webgpu" (navigator.gpu) */
  device: z.enum(["cpu", "webgpu"]).default("cpu"),
  /** recompute each layer in the backward pass: less memory, about +20% time */
  checkpoint_layers: z.boolean().default(false),
  /**
   * threads computing each batch's gradient (data parallelism, device cpu): every batch is
   * cut into the same 2 shards, so the result does not depend on it. A constant default
   * (not the core count) keeps the fingerprint the same on every machine.
   */
  threads: z.number().int().min(1).max(2).default(2),
}).strict();
export type FinetuneConfig = z.infer<typeof FinetuneConfigSchema>;
export type FinetuneConfigInput = z.input<typeof FinetuneConfigSchema>;

export const BertConfigSchema = z.object({
  encoder: EncoderConfigSchema.default(EncoderConfigSchema.parse({})),
  head: HeadConfigSchema.default(HeadConfigSchema.parse({})),
  /** false: frozen encoder + head; true or options: fine-tune the encoder (the study) */
  finetune: z.union([
    z.literal(false),
    z.literal(true).transform(() => FinetuneConfigSchema.parse({})),
    FinetuneConfigSchema,
  ], { error: "expected false, true (the study's settings) or fine-tuning options" })
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
