/**
 * AdamW on the wasm backend: its updates follow PyTorch's AdamW (decoupled weight decay, not
 * on biases; bias-corrected moments; global-norm clipping; linear warm-up and decay), checked
 * against a float64 reference; and fine-tuning's variables hold their memory once: updates,
 * parameter assigns and a moments restore leave tfjs's tensor count and bytes where they were
 * (the worker's per-step assign used to leak a model copy per step).
 */
import assert from "node:assert/strict";
import { AdamW, type AdamWOptions, decays, linearSchedule } from "../models/bert/adamw.ts";
import { tfjsWithBackend } from "../models/bert/tfjs_backend.ts";
import { assignValues, variableOf } from "../models/bert/tfjs_variables.ts";
import type { Variable } from "../models/bert/heavy_packages.ts";

const { tf, backend } = await tfjsWithBackend("wasm");

const NAMES = ["layer0.query.weight", "layer0.query.bias"];
const START = [[0.5, -1, 2, 0.25, -0.75, 1.5], [0.1, -0.2, 0.3]];
const SHAPES = [[2, 3], [3]];
/** gradients per step: large enough in step 1 to be clipped, small later */
const GRADS = [
  [[3, -4, 1, 2, -2, 5], [1, -1, 2]],
  [[0.1, -0.2, 0.05, 0, 0.3, -0.1], [0.02, 0, -0.04]],
  [[-0.3, 0.1, 0.2, -0.1, 0.05, 0.4], [0.1, 0.1, -0.1]],
];
const OPTIONS: AdamWOptions = {
  learningRate: 0.1,
  weightDecay: 0.05,
  maxGradNorm: 1,
  totalSteps: 4,
  warmupSteps: 1,
};

/** PyTorch's AdamW with HF's clipping and schedule, in float64. */
function reference(): number[][] {
  const p = START.map((a) => [...a]);
  const m = START.map((a) => a.map(() => 0));
  const v = START.map((a) => a.map(() => 0));
  GRADS.forEach((grads, s) => {
    const norm = Math.sqrt(grads.flat().reduce((sum, g) => sum + g * g, 0));
    const clip = norm > OPTIONS.maxGradNorm ? OPTIONS.maxGradNorm / (norm + 1e-6) : 1;
    const lr = OPTIONS.learningRate * linearSchedule(s, OPTIONS.warmupSteps, OPTIONS.totalSteps);
    const [c1, c2] = [1 - 0.9 ** (s + 1), 1 - 0.999 ** (s + 1)];
    p.forEach((values, i) => {
      const decay = decays(NAMES[i]) ? 1 - lr * OPTIONS.weightDecay : 1;
      values.forEach((x, j) => {
        const g = grads[i][j] * clip;
        m[i][j] = 0.9 * m[i][j] + 0.1 * g;
        v[i][j] = 0.999 * v[i][j] + 0.001 * g * g;
        values[j] = x * decay - lr * (m[i][j] / c1) / (Math.sqrt(v[i][j] / c2) + 1e-8);
      });
    });
  });
  return p;
}

function makeParams(): Variable[] {
  return START.map((a, i) => variableOf(tf, tf.tensor(a, SHAPES[i]), true));
}

Deno.test("AdamW runs on the wasm backend", () => assert.equal(backend, "wasm"));

Deno.test("AdamW matches PyTorch's update: decay, bias correction, clipping, schedule", async () => {
  const params = makeParams();
  const optimizer = new AdamW(tf, params, NAMES, OPTIONS);
  const norms: number[] = [];
  for (const grads of GRADS) {
    const tensors = grads.map((g, i) => tf.tensor(g, SHAPES[i]));
    norms.push(await optimizer.apply(tensors));
    tf.dispose(tensors);
  }
  assert.ok(Math.abs(norms[0] - Math.sqrt(65)) < 1e-4, `first norm ${norms[0]}`);
  const expected = reference();
  for (const [i, p] of params.entries()) {
    const got = await p.data();
    expected[i].forEach((x, j) =>
      assert.ok(Math.abs(got[j] - x) < 1e-5, `${NAMES[i]}[${j}]: ${got[j]} vs ${x}`)
    );
  }
  assert.equal(optimizer.step, 3);
  optimizer.dispose();
  tf.dispose(params);
});

Deno.test("updates, assigns and a restore hold no tensor memory beyond the variables", async () => {
  const before = tf.memory();
  const params = makeParams();
  const optimizer = new AdamW(tf, params, NAMES, OPTIONS);
  const held = tf.memory();
  // 2 parameters and 2 moments each: one buffer per variable, no initial tensor kept
  assert.equal(held.numTensors - before.numTensors, 6);
  assert.equal(held.numBytes - before.numBytes, 3 * 9 * 4);
  for (let step = 0; step < 3; step++) {
    const grads = GRADS[step].map((g, i) => tf.tensor(g, SHAPES[i]));
    await optimizer.apply(grads);
    tf.dispose(grads);
    // what the gradient worker does with each step's parameters
    params.forEach((p, i) => assignValues(tf, p, Float32Array.from(START[i])));
  }
  const state = await optimizer.state();
  optimizer.restore(3, (name) => state[name].data);
  const after = tf.memory();
  assert.equal(after.numTensors, held.numTensors);
  assert.equal(after.numBytes, held.numBytes);
  optimizer.dispose();
  tf.dispose(params);
  assert.equal(tf.memory().numTensors, before.numTensors);
});
