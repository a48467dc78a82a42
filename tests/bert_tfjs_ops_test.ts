/**
 * The encoder's differentiable building blocks on the wasm backend: fast matmul gradients
 * equal tf.matMul's, the embedding lookup's scatterND gradient passes a finite-difference
 * check (repeated ids included), and a checkpointed layer stack gives the same gradients as
 * the plain one.
 */
import assert from "node:assert/strict";
import { addRow, embeddingLookup, fastMatMul, mulRow } from "../models/bert/tfjs_fast_ops.ts";
import { tfjsWithBackend } from "../models/bert/tfjs_backend.ts";
import { TfjsBert } from "../models/bert/tfjs_bert.ts";
import { bertShape, generateBertWeights } from "../models/bert/tiny_bert_weights.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import type { Tensor, Tensor2D } from "../models/bert/heavy_packages.ts";

const { tf, backend } = await tfjsWithBackend("wasm");

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const random = (label: string, shape: number[]) =>
  tf.tensor(
    new SeededRandom(1, label).normalArray(shape.reduce((x, y) => x * y, 1), 1),
    shape,
  );

Deno.test("the wasm backend is in use", () => assert.equal(backend, "wasm"));

Deno.test("fastMatMul's gradients equal tf.matMul's (2-D and batched)", () => {
  for (const [aShape, bShape] of [[[5, 7], [7, 3]], [[4, 5, 6], [4, 6, 2]]]) {
    const a = random("a", aShape);
    const b = random("b", bShape);
    const loss = (mm: (x: Tensor, y: Tensor) => Tensor) => (x: Tensor, y: Tensor) =>
      tf.sum(tf.square(mm(x, y)));
    const fast = tf.grads(loss((x, y) => fastMatMul(tf, x, y)))([a, b]);
    const stock = tf.grads(loss((x, y) => tf.matMul(x as Tensor2D, y as Tensor2D)))([a, b]);
    for (let i = 0; i < 2; i++) {
      assert.ok(maxAbsDiff(fast[i].dataSync(), stock[i].dataSync()) < 1e-4);
    }
  }
});

Deno.test("addRow's and mulRow's gradients equal tf.add's and tf.mul's", () => {
  const x = random("x", [9, 5]);
  const v = random("v", [5]);
  for (
    const [fast, stock] of [
      [(a: Tensor, b: Tensor) => addRow(tf, a as Tensor2D, b), tf.add],
      [(a: Tensor, b: Tensor) => mulRow(tf, a as Tensor2D, b), tf.mul],
    ] as const
  ) {
    const loss = (op: (a: Tensor, b: Tensor) => Tensor) => (a: Tensor, b: Tensor) =>
      tf.sum(tf.square(op(a, b)));
    const got = tf.grads(loss(fast))([x, v]);
    const want = tf.grads(loss(stock))([x, v]);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(got[i].shape, want[i].shape);
      assert.ok(maxAbsDiff(got[i].dataSync(), want[i].dataSync()) < 1e-4);
    }
  }
});

Deno.test("the embedding lookup's gradient passes a finite-difference check", () => {
  const vocab = 6, width = 3;
  const tableData = new SeededRandom(2, "table").normalArray(vocab * width, 1);
  const ids = Int32Array.of(4, 1, 4, 0, 4);
  const weights = random("w", [ids.length, width]);
  const loss = (table: Tensor) =>
    tf.sum(tf.mul(tf.square(embeddingLookup(tf, table as Tensor2D, ids)), weights));
  const analytic = tf.grad(loss)(tf.tensor2d(tableData, [vocab, width])).dataSync();
  const h = 1e-2;
  for (let i = 0; i < tableData.length; i++) {
    const plus = tableData.slice();
    const minus = tableData.slice();
    plus[i] += h;
    minus[i] -= h;
    const numeric = (loss(tf.tensor2d(plus, [vocab, width])).dataSync()[0] -
      loss(tf.tensor2d(minus, [vocab, width])).dataSync()[0]) / (2 * h);
    assert.ok(Math.abs(numeric - analytic[i]) < 2e-2, `entry ${i}: ${numeric} vs ${analytic[i]}`);
  }
  // rows 2, 3 and 5 are never looked up
  for (const row of [2, 3, 5]) {
    assert.deepEqual(Array.from(analytic.slice(row * width, (row + 1) * width)), [0, 0, 0]);
  }
});

Deno.test("checkpointed layers give the gradients of the plain stack", () => {
  const weights = generateBertWeights({ ...bertShape("tiny", 50), hidden: 32, heads: 4 }, 3);
  const tokens = {
    batch: 2,
    sequence: 5,
    ids: Int32Array.of(2, 7, 9, 3, 0, 2, 11, 3, 0, 0),
    mask: Float32Array.of(1, 1, 1, 1, 0, 1, 1, 1, 0, 0),
  };
  const gradients = (checkpointLayers: boolean) => {
    const bert = new TfjsBert(tf, weights, {
      firstLayer: 0,
      trainEmbeddings: true,
      checkpointLayers,
    });
    const { grads } = tf.variableGrads(() =>
      tf.sum(tf.square(bert.pool(bert.layers(bert.embed(tokens), tokens), tokens, "mean")))
    );
    const out = bert.variables.map((v) => grads[v.name].dataSync().slice());
    tf.dispose(Object.values(grads));
    bert.dispose();
    return out;
  };
  const plain = gradients(false);
  const recomputed = gradients(true);
  assert.equal(plain.length, recomputed.length);
  assert.equal(plain.length, 2 * 16 + 5);
  for (let i = 0; i < plain.length; i++) {
    assert.ok(maxAbsDiff(plain[i], recomputed[i]) < 1e-5, `variable ${i}`);
  }
  // the word embedding gets a gradient only for looked-up rows
  const word = plain[plain.length - 5];
  assert.ok(word.slice(11 * 32, 12 * 32).some((g) => g !== 0));
  assert.ok(word.slice(12 * 32, 13 * 32).every((g) => g === 0));
});
