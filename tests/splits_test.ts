/** k-fold, fraction, sampling and the item protocol: partitions, sizes and pandas/Surprise order. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fractionSplit } from "../data/split/fraction.ts";
import { itemSplit } from "../data/split/items.ts";
import { kFold, kFoldPermutation } from "../data/split/kfold.ts";
import { rowsOfFirstUsers, sampleRows } from "../data/split/sample.ts";
import { NumpyRandomState } from "../data/rng/numpy_random_state.ts";
import { pandasSampleIndices } from "../data/rng/pandas_sample.ts";

const sorted = (a: Iterable<number>) => [...a].sort((x, y) => x - y);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test("k-fold: folds partition the rows; sizes as Surprise's KFold; train = before + after", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 60 }),
      fc.integer({ min: 2, max: 7 }),
      fc.nat(),
      (n, k, seed) => {
        fc.pre(k <= n);
        const order = kFoldPermutation(n, { rng: "seeded", seed });
        const tests: number[] = [];
        for (let f = 0; f < k; f++) {
          const fold = kFold(order, k, f);
          // Surprise: the first n % k folds hold one row more.
          assert.equal(fold.test.length, Math.floor(n / k) + (f < n % k ? 1 : 0));
          assert.deepEqual(sorted([...fold.train, ...fold.test]), range(n));
          tests.push(...fold.test);
        }
        assert.deepEqual(sorted(tests), range(n), "every row is tested exactly once");
      },
    ),
  );
});

Deno.test("k-fold with rng numpy shuffles as RandomState(seed).shuffle(arange(n))", () => {
  const order = kFoldPermutation(100, { rng: "numpy", seed: 0 });
  assert.deepEqual(Array.from(order), Array.from(new NumpyRandomState(0).permutation(100)));
  const fold = kFold(order, 5, 1);
  // Surprise: trainset = indices[:start] + indices[stop:], testset = indices[start:stop].
  assert.deepEqual(Array.from(fold.test), Array.from(order.slice(20, 40)));
  assert.deepEqual(Array.from(fold.train), [...order.slice(0, 20), ...order.slice(40)]);
});

Deno.test("fraction split: a partition with the asked sizes, numpy as pandas would draw", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.boolean(), (n, seed, numpy) => {
      const split = fractionSplit(n, {
        test: 0.2,
        dev: 0.1,
        rng: numpy ? "numpy" : "seeded",
        seed,
      });
      assert.deepEqual(sorted([...split.train, ...split.dev, ...split.test]), range(n));
      assert.ok(Math.abs(split.test.length - 0.2 * n) <= 1);
    }),
  );
  const split = fractionSplit(50, { test: 0.2, dev: 0.1, rng: "numpy", seed: 42 });
  assert.deepEqual(Array.from(split.test), Array.from(pandasSampleIndices(50, 0.2, 42)));
});

Deno.test("sampleRows with numpy is rows.sample(frac) in sampled order", () => {
  const rows = Int32Array.from(range(40), (i) => 1000 + i);
  const sample = sampleRows(rows, 0.25, { rng: "numpy", seed: 42 });
  assert.deepEqual(
    Array.from(sample),
    Array.from(pandasSampleIndices(40, 0.25, 42), (p) => 1000 + p),
  );
  assert.equal(sampleRows(rows, 0.25, { rng: "seeded", seed: 1 }).length, 10);
});

Deno.test("the first N users of a part, in order of first appearance", () => {
  const user = Int32Array.from([5, 3, 5, 9, 3, 7]);
  const rows = Int32Array.from([3, 1, 0, 5, 2]); // users 9, 3, 5, 7, 5
  assert.deepEqual(Array.from(rowsOfFirstUsers(rows, user, 2)), [3, 1]);
  assert.deepEqual(Array.from(rowsOfFirstUsers(rows, user, 3)), [3, 1, 0, 2]);
});

Deno.test("item split: the study's nested pandas samples, a partition of the sample", () => {
  const items = Int32Array.from(range(200), (i) => i * 2);
  const split = itemSplit(items, { sample_frac: 0.6, train: 0.8, rng: "numpy", seed: 42 });
  const sample = Array.from(pandasSampleIndices(200, 0.6, 42), (p) => items[p]);
  const train = Array.from(pandasSampleIndices(120, 0.8, 42), (p) => sample[p]);
  assert.deepEqual(Array.from(split.train), train);
  const trainSet = new Set(train);
  const rest = sample.filter((i) => !trainSet.has(i));
  const dev = Array.from(pandasSampleIndices(rest.length, 0.5, 42), (p) => rest[p]);
  assert.deepEqual(Array.from(split.dev), dev);
  const devSet = new Set(dev);
  assert.deepEqual(Array.from(split.test), rest.filter((i) => !devSet.has(i)));
  assert.equal(split.train.length + split.dev.length + split.test.length, 120);
});
