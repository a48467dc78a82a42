/**
 * A frozen BERT encoder from a local model folder: transformers.js tokenizes, onnxruntime-node
 * runs the ONNX graph, and the token states are pooled into one vector per text. Texts are
 * batched by length to limit padding. The folder is checked (files, config against tokenizer
 * and graph) when loading, so bad input fails with the file's name, not inside onnxruntime.
 */
import type { InferenceSession, OrtTensor as Tensor } from "./heavy_packages.ts";
import { type EncoderConfigInput, EncoderConfigSchema, parseOptions } from "./config.ts";
import { loadOnnxruntime, type Onnxruntime } from "./heavy_packages.ts";
import { lengthBatches } from "./length_batches.ts";
import { inspectModelFolder, type ModelFolder } from "./model_folder.ts";
import { poolInto } from "./pooling.ts";
import { loadTokenizer, type TextTokenizer, type TokenizedTexts } from "./tokenizer.ts";

export type ProgressCallback = (done: number, total: number) => void;

export interface Encoder {
  /** width of one embedding */
  hidden: number;
  /** the .onnx file in use (for fingerprints and logs) */
  modelPath: string;
  /** embeddings of `texts`, row-major [texts.length, hidden] */
  embed(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array>;
  dispose(): Promise<void>;
}

type Ort = Onnxruntime;

/** Throws naming the first text that is not a non-blank string. */
export function checkTexts(texts: readonly unknown[]): asserts texts is string[] {
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text !== "string") {
      throw new Error(`texts[${i}]: expected a string, got ${typeof text}`);
    }
    if (text.trim() === "") throw new Error(`texts[${i}]: empty synopsis`);
  }
}

class OnnxEncoder implements Encoder {
  readonly modelPath: string;
  hidden = 0;
  private readonly outputName: string;
  private readonly hasTokenTypes: boolean;

  constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly tokenizer: TextTokenizer,
    private readonly folder: ModelFolder,
    private readonly options: ReturnType<typeof EncoderConfigSchema.parse>,
  ) {
    this.modelPath = folder.modelPath;
    const inputs = session.inputNames;
    for (const name of ["input_ids", "attention_mask"]) {
      if (!inputs.includes(name)) {
        throw new Error(`${this.modelPath}: graph input ${name} is missing (has ${inputs})`);
      }
    }
    const unknown = inputs.filter((n) =>
      !["input_ids", "attention_mask", "token_type_ids"].includes(n)
    );
    if (unknown.length) throw new Error(`${this.modelPath}: unsupported graph inputs ${unknown}`);
    this.hasTokenTypes = inputs.includes("token_type_ids");
    const outputs = session.outputNames;
    this.outputName = outputs.includes("last_hidden_state") ? "last_hidden_state" : outputs[0];
  }

  /** Runs one text through the graph and checks its width against config.json. */
  async checkOutputWidth(): Promise<void> {
    const tokens = this.tokenizer.tokenize(["hello"], this.options.max_length);
    let dims: readonly number[];
    try {
      dims = (await this.run(tokens, Int32Array.of(0), tokens.offsets[1])).dims;
    } catch (error) {
      throw new Error(`${this.modelPath}: a one-text dry run failed: ${errorMessage(error)}`);
    }
    const configured = this.folder.config.hidden_size;
    if (dims.length !== 3 || dims[2] !== configured) {
      throw new Error(
        `${this.folder.dir}/config.json: hidden_size ${configured} does not match the model ` +
          `output ${this.outputName} of shape [${dims}] (${this.modelPath})`,
      );
    }
    this.hidden = configured;
  }

  /** Right-padded int64 inputs for `rows`, run through the session. */
  private async run(tokens: TokenizedTexts, rows: Int32Array, length: number): Promise<Tensor> {
    const size = rows.length * length;
    const ids = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    for (let b = 0; b < rows.length; b++) {
      const start = tokens.offsets[rows[b]];
      const end = tokens.offsets[rows[b] + 1];
      for (let t = 0; t < end - start; t++) {
        ids[b * length + t] = BigInt(tokens.ids[start + t]);
        mask[b * length + t] = 1n;
      }
    }
    const dims = [rows.length, length];
    const feeds: Record<string, Tensor> = {
      input_ids: new this.ort.Tensor("int64", ids, dims),
      attention_mask: new this.ort.Tensor("int64", mask, dims),
    };
    if (this.hasTokenTypes) {
      feeds.token_type_ids = new this.ort.Tensor("int64", new BigInt64Array(size), dims);
    }
    const result = await this.session.run(feeds);
    return result[this.outputName];
  }

  async embed(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array> {
    checkTexts(texts);
    const { max_length, batch_size, pooling } = this.options;
    const tokens = this.tokenizer.tokenize(texts, max_length);
    const out = new Float32Array(texts.length * this.hidden);
    let done = 0;
    onProgress?.(0, texts.length);
    for (const batch of lengthBatches(tokens.offsets, batch_size)) {
      const states = await this.run(tokens, batch.rows, batch.length);
      const lengths = batch.rows.map((r) => tokens.offsets[r + 1] - tokens.offsets[r]);
      poolInto(
        out,
        states.data as Float32Array,
        batch.length,
        this.hidden,
        batch.rows,
        lengths,
        pooling,
      );
      states.dispose();
      done += batch.rows.length;
      onProgress?.(done, texts.length);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Loads the encoder of a local model folder (config.json, tokenizer files, onnx/model.onnx or
 * onnx/model_quantized.onnx). Throws an Error naming the file or option at fault.
 */
export async function loadEncoder(dir: string, options: EncoderConfigInput = {}): Promise<Encoder> {
  const parsed = parseOptions(EncoderConfigSchema, options, "encoder");
  const folder = await inspectModelFolder(dir, parsed.quantized);
  const configPath = `${folder.dir}/config.json`;
  if (parsed.max_length > folder.config.max_position_embeddings) {
    throw new Error(
      `encoder.max_length ${parsed.max_length} exceeds max_position_embeddings ` +
        `${folder.config.max_position_embeddings} in ${configPath}`,
    );
  }
  const tokenizer = await loadTokenizer(folder.dir);
  if (tokenizer.vocabSize > folder.config.vocab_size) {
    throw new Error(
      `${folder.dir}: the tokenizer has ${tokenizer.vocabSize} tokens but ${configPath} ` +
        `says vocab_size ${folder.config.vocab_size}`,
    );
  }
  const ort = await loadOnnxruntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(folder.modelPath, {
      executionProviders: [parsed.execution_provider],
      graphOptimizationLevel: "all",
      interOpNumThreads: 1,
      ...(parsed.threads ? { intraOpNumThreads: parsed.threads } : {}),
    });
  } catch (error) {
    throw new Error(
      `${folder.modelPath}: onnxruntime cannot load the model: ${errorMessage(error)}`,
    );
  }
  try {
    const encoder = new OnnxEncoder(ort, session, tokenizer, folder, parsed);
    await encoder.checkOutputWidth();
    return encoder;
  } catch (error) {
    await session.release();
    throw error;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
