/**
 * BERT weights on disk: safetensors written and read back exactly, the ONNX initializers of
 * an ONNX-only folder giving the same weights, and each kind of bad file failing with the
 * file and tensor named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadBertWeights, SAFETENSORS_FILE } from "../models/bert/bert_weights_file.ts";
import { weightsToTensors } from "../models/bert/bert_parameters.ts";
import { encodeSafetensors, parseSafetensors } from "../models/bert/safetensors.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";
import { bertShape, generateBertWeights } from "../models/bert/tiny_bert_weights.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const TEXTS = ["A robot and a cat.", "Pilots fight over the sea.", "School life and baseball."];
const SEED = 5;

async function tinyFolder(): Promise<string> {
  const dir = tempDir("bert-weights-");
  await writeTinyBert(dir, { texts: TEXTS, seed: SEED });
  return dir;
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function rawFile(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  out.set(u64(json.length));
  out.set(json, 8);
  return out;
}

Deno.test("safetensors round-trips tensors and pads the header to 8 bytes", () => {
  const a = { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) };
  const b = { shape: [1], data: Float32Array.of(-0.5) };
  const bytes = encodeSafetensors({ "x.weight": a, "x.bias": b });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0);
  const file = parseSafetensors(bytes, "mem.safetensors");
  assert.deepEqual(file.tensor("x.weight"), a);
  assert.deepEqual(file.tensor("x.bias"), b);
  assert.equal(file.metadata.format, "pt");
});

Deno.test("F16 and BF16 tensors are read as fp32", () => {
  const header = {
    h: { dtype: "F16", shape: [3], data_offsets: [0, 6] },
    b: { dtype: "BF16", shape: [1], data_offsets: [6, 8] },
  };
  const bytes = rawFile(header, 8);
  const data = bytes.subarray(bytes.length - 8);
  // 1.0, -2.0, 0.5 in half precision; 3.0 in bfloat16
  new Uint16Array(data.buffer, data.byteOffset, 4).set([0x3c00, 0xc000, 0x3800, 0x4040]);
  const file = parseSafetensors(bytes, "half.safetensors");
  assert.deepEqual(Array.from(file.tensor("h").data), [1, -2, 0.5]);
  assert.deepEqual(Array.from(file.tensor("b").data), [3]);
});

Deno.test("the tiny BERT folder's safetensors hold exactly the generated weights", async () => {
  const dir = await tinyFolder();
  const { weights, source } = await loadBertWeights(dir);
  assert.equal(source, join(dir, SAFETENSORS_FILE));
  const shape = weights.shape;
  const expected = generateBertWeights(bertShape("tiny", shape.vocabSize), SEED);
  assert.deepEqual(weights, expected);
});

Deno.test("an ONNX-only folder yields the same weights from the graph's initializers", async () => {
  const dir = await tinyFolder();
  const fromSafetensors = (await loadBertWeights(dir)).weights;
  Deno.removeSync(join(dir, SAFETENSORS_FILE));
  const { weights, source } = await loadBertWeights(dir);
  assert.equal(source, join(dir, "onnx", "model.onnx"));
  assert.deepEqual(weights, fromSafetensors);
});

Deno.test("HF task checkpoints with the bert. prefix are read", async () => {
  const dir = await tinyFolder();
  const { weights } = await loadBertWeights(dir);
  const prefixed = Object.fromEntries(
    Object.entries(weightsToTensors(weights)).map(([k, v]) => ["bert." + k, v]),
  );
  Deno.writeFileSync(join(dir, SAFETENSORS_FILE), encodeSafetensors(prefixed));
  assert.deepEqual((await loadBertWeights(dir)).weights, weights);
});

Deno.test("bad safetensors files fail naming the file and the tensor", () => {
  const path = "bad.safetensors";
  const fails = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => parseSafetensors(bytes, path), (e: Error) => {
      assert.match(e.message, /^bad\.safetensors: /);
      assert.match(e.message, pattern);
      return true;
    });
  fails(new Uint8Array(5), /truncated safetensors file/);
  const good = encodeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
  fails(good.subarray(0, 20), /truncated safetensors header/);
  fails(good.subarray(0, good.length - 4), /tensor w: data_offsets \[0, 16\] exceed the file/);
  const entry = (offsets: number[], shape = [2]) => ({
    dtype: "F32",
    shape,
    data_offsets: offsets,
  });
  fails(rawFile({ a: entry([0, 8]), b: entry([4, 12]) }, 12), /tensor b .* overlaps tensor a/);
  fails(rawFile({ a: entry([0, 12]) }, 12), /tensor a: .* hold 12 bytes but F32 \[2\] needs 8/);
  fails(
    rawFile({ a: { dtype: "Q4", shape: [1], data_offsets: [0, 1] } }, 1),
    /tensor a: unsupported dtype "Q4"/,
  );
  fails(rawFile({ a: entry([8, 0]) }, 8), /tensor a: data_offsets \[8,0\] is not \[begin, end\]/);
  const notJson = new Uint8Array([...u64(3), 0x7b, 0x7b, 0x7b]);
  fails(notJson, /header is not valid JSON/);
});

Deno.test("a missing tensor, a shape against config.json and NaN are named", async () => {
  const dir = await tinyFolder();
  const path = join(dir, SAFETENSORS_FILE);
  const { weights } = await loadBertWeights(dir);
  const tensors = weightsToTensors(weights);
  const rewrite = async (edit: (t: typeof tensors) => void) => {
    const copy = { ...tensors };
    edit(copy);
    Deno.writeFileSync(path, encodeSafetensors(copy));
    return String(await caught(() => loadBertWeights(dir)));
  };
  const query = "encoder.layer.1.attention.self.query.weight";
  assert.match(
    await rewrite((t) => delete t[query]),
    new RegExp(`${path}: tensor ${query} is missing`),
  );
  const misnamed = await rewrite((t) => {
    t["encoder.layer.1.attention.self.qeury.weight"] = t[query];
    delete t[query];
  });
  assert.match(misnamed, /tensor encoder\.layer\.1\.attention\.self\.query\.weight is missing/);
  const narrow = await rewrite((t) => {
    t["embeddings.LayerNorm.weight"] = { shape: [64], data: new Float32Array(64) };
  });
  assert.match(
    narrow,
    /tensor embeddings\.LayerNorm\.weight has shape \[64\] but config\.json implies \[128\]/,
  );
  const nan = await rewrite((t) => {
    const data = t[query].data.slice();
    data[7] = NaN;
    t[query] = { shape: t[query].shape, data };
  });
  assert.match(nan, new RegExp(`${path}: tensor ${query} has a non-finite value \\(NaN\\)`));
});
