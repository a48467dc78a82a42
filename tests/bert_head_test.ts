import assert from "node:assert/strict";
import { rmse, trainRegressionHead } from "../models/bert/head.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { caught } from "./helpers/assert.ts";

const DIM = 6;

/** y = 5 + x·w + noise, with x standard normal: a linear head's best RMSE is the noise. */
function linearData(n: number, label: string, noise = 0.1) {
  const w = new SeededRandom(9, "weights").normalArray(DIM, 0.5);
  const r = new SeededRandom(9, label);
  const x = r.normalArray(n * DIM, 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 5;
    for (let d = 0; d < DIM; d++) s += x[i * DIM + d] * w[d];
    y[i] = s + noise * r.normal();
  }
  return { x, y };
}

const train = linearData(256, "train");
const dev = linearData(64, "dev");
const test = linearData(64, "test");

function meanOf(y: Float64Array): number {
  return y.reduce((a, b) => a + b, 0) / y.length;
}

Deno.test("a linear head recovers a linear relation and beats the mean", async () => {
  const result = await trainRegressionHead(train.x, DIM, train.y, dev.x, dev.y, test.x, {
    kind: "linear",
    epochs: 25,
    batch_size: 64,
    learning_rate: 0.1,
  });
  const testRmse = rmse(result.predTest, test.y);
  const baseline = rmse(new Float64Array(test.y.length).fill(meanOf(train.y)), test.y);
  assert.ok(testRmse < 0.2, `test RMSE ${testRmse}`);
  assert.ok(testRmse < baseline / 4, `test RMSE ${testRmse} vs mean ${baseline}`);
  assert.equal(result.predDev.length, dev.y.length);
});

Deno.test("the best dev epoch is chosen, its weights restored, and patience stops training", async () => {
  const patience = 3;
  const epochs = 40;
  const result = await trainRegressionHead(train.x, DIM, train.y, dev.x, dev.y, test.x, {
    kind: "mlp",
    hidden: [32],
    epochs,
    batch_size: 64,
    learning_rate: 0.05,
    patience,
  });
  const devCurve = result.curve.map((c) => c.devRmse);
  const best = devCurve.indexOf(Math.min(...devCurve)) + 1;
  assert.equal(result.bestEpoch, best);
  assert.deepEqual(result.curve.map((c) => c.epoch), devCurve.map((_, i) => i + 1));
  assert.equal(result.curve.length, Math.min(epochs, best + patience));
  // predictions come from the restored best weights
  assert.ok(Math.abs(rmse(result.predDev, dev.y) - devCurve[best - 1]) < 1e-9);
  for (const c of result.curve) assert.ok(Number.isFinite(c.trainRmse) && c.trainRmse > 0);
});

Deno.test("training is deterministic for a seed and changes with it", async () => {
  const options = { kind: "mlp" as const, hidden: [8], epochs: 5, batch_size: 32, patience: 0 };
  const run = (seed: number) =>
    trainRegressionHead(train.x, DIM, train.y, dev.x, dev.y, test.x, { ...options, seed });
  const [a, b, c] = [await run(1), await run(1), await run(2)];
  assert.deepEqual(a.predTest, b.predTest);
  assert.deepEqual(a.curve, b.curve);
  assert.notDeepEqual(a.predTest, c.predTest);
});

Deno.test("without dev rows the last epoch is kept", async () => {
  const empty = new Float32Array(0);
  const result = await trainRegressionHead(train.x, DIM, train.y, empty, [], test.x, {
    kind: "linear",
    epochs: 3,
    patience: 1,
  });
  assert.equal(result.bestEpoch, 3);
  assert.equal(result.predDev.length, 0);
  assert.ok(result.curve.every((c) => Number.isNaN(c.devRmse)));
});

Deno.test("bad targets, shapes and options are named", async () => {
  const badY = Float64Array.from(train.y);
  badY[3] = NaN;
  const run = (y: ArrayLike<number>, xDev: Float32Array, options: object = { epochs: 1 }) =>
    caught(() => trainRegressionHead(train.x, DIM, y, xDev, dev.y, test.x, options));
  assert.match(String(await run(badY, dev.x)), /yTrain\[3\]: score NaN is not a finite number/);
  assert.match(
    String(await run(train.y, dev.x.subarray(DIM))),
    /yDev: 64 targets for 63 rows of xDev/,
  );
  assert.match(String(await run(train.y, dev.x.subarray(1))), /xDev: .* not a multiple of dim 6/);
  assert.match(String(await run(train.y, dev.x, { kind: "tree" })), /head\.kind/);
  assert.match(String(await run(train.y, dev.x, { epocs: 3 })), /head: Unrecognized key: "epocs"/);
});

Deno.test("the wasm backend starts offline, and the cpu backend trains the same model", async () => {
  const options = { kind: "linear" as const, epochs: 3, batch_size: 64, patience: 0 };
  const run = (backend: "wasm" | "cpu") =>
    trainRegressionHead(train.x, DIM, train.y, dev.x, dev.y, test.x, { ...options, backend });
  const wasm = await run("wasm");
  const cpu = await run("cpu");
  assert.equal(wasm.backend, "wasm");
  assert.equal(cpu.backend, "cpu");
  for (let i = 0; i < test.y.length; i++) {
    assert.ok(Math.abs(wasm.predTest[i] - cpu.predTest[i]) < 1e-3, `row ${i}`);
  }
});
