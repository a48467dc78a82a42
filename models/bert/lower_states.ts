/**
 * The frozen lower part of a partly fine-tuned encoder, run once through onnxruntime: an ONNX
 * graph of the embeddings and the first `layers` encoder layers (built from the weights with
 * the same graph builder as the tiny model, so its output is the hidden state after layer
 * `layers`), applied to every text. States are kept unpadded, [tokens, hidden], in the
 * order of the token ids, so batches of any composition can be cut from them later.
 */
import { loadOnnxruntime, type OrtTensor } from "./heavy_packages.ts";
import { lengthBatches } from "./length_batches.ts";
import { buildBertOnnx, OUTPUT_NAME } from "./tiny_bert_graph.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import type { TokenizedTexts } from "./tokenizer.ts";

export interface LowerStatesOptions {
  batchSize: number;
  executionProvider: string;
  threads?: number;
  progress?: (done: number, total: number) => void;
}

/** The ONNX bytes of the embeddings and layers [0, layers) of `weights`. */
export function lowerGraph(weights: BertWeights, layers: number): Promise<Uint8Array> {
  return buildBertOnnx({ ...weights, layers: weights.layers.slice(0, layers) });
}

export async function computeLowerStates(
  weights: BertWeights,
  layers: number,
  tokens: TokenizedTexts,
  options: LowerStatesOptions,
): Promise<Float32Array> {
  const H = weights.shape.hidden;
  const ort = await loadOnnxruntime();
  const session = await ort.InferenceSession.create(await lowerGraph(weights, layers), {
    executionProviders: [options.executionProvider],
    graphOptimizationLevel: "all",
    interOpNumThreads: 1,
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  });
  const texts = tokens.offsets.length - 1;
  const out = new Float32Array(tokens.ids.length * H);
  let done = 0;
  try {
    for (const batch of lengthBatches(tokens.offsets, options.batchSize)) {
      const length = batch.length;
      const size = batch.rows.length * length;
      const ids = new BigInt64Array(size);
      const mask = new BigInt64Array(size);
      batch.rows.forEach((row, b) => {
        for (let t = tokens.offsets[row]; t < tokens.offsets[row + 1]; t++) {
          const at = b * length + t - tokens.offsets[row];
          ids[at] = BigInt(tokens.ids[t]);
          mask[at] = 1n;
        }
      });
      const dims = [batch.rows.length, length];
      const result = await session.run({
        input_ids: new ort.Tensor("int64", ids, dims),
        attention_mask: new ort.Tensor("int64", mask, dims),
        token_type_ids: new ort.Tensor("int64", new BigInt64Array(size), dims),
      });
      const states: OrtTensor = result[OUTPUT_NAME];
      const data = states.data as Float32Array;
      batch.rows.forEach((row, b) => {
        const start = tokens.offsets[row];
        const count = tokens.offsets[row + 1] - start;
        out.set(data.subarray(b * length * H, (b * length + count) * H), start * H);
      });
      states.dispose();
      done += batch.rows.length;
      options.progress?.(done, texts);
    }
  } finally {
    await session.release();
  }
  return out;
}
