import assert from "node:assert/strict";
import fc from "fast-check";
import { NumpyRandomState } from "../data/rng/numpy_random_state.ts";
import { pandasPerUserSplit, pandasSampleIndices } from "../data/rng/pandas_sample.ts";

const fixtures = new URL("./fixtures/numpy/", import.meta.url);
function readFixture(name: string) {
  return JSON.parse(Deno.readTextFileSync(new URL(name, fixtures)));
}

/** `df.sample(frac=0.03, random_state=42)` on ml-latest-small, recorded with pandas 1.5. */
const sampleReference = readFixture("pandas-sample-frac0.03-seed42.json");
/** The study's per-user split of the same file: rows per user (file sorted by userId) and the
 * recorded test/dev row of each user. */
const splitReference = readFixture("pandas-per-user-split-seed42.json");
const ML_LATEST_SMALL_ROWS = 100836;

/** userOfRow for a file sorted by user, from the row count of each user. */
function userOfRowFromRuns(rowsPerUser: number[]): Int32Array {
  const total = rowsPerUser.reduce((a, b) => a + b, 0);
  const userOfRow = new Int32Array(total);
  let r = 0;
  rowsPerUser.forEach((count, u) => userOfRow.fill(u, r, r += count));
  return userOfRow;
}

/** Straightforward statement of the split, to check the linear implementation against. */
function naiveSplit(userOfRow: Int32Array, nUsers: number, seed: number) {
  const test: number[] = [], dev: number[] = [], train: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const group = Array.from(userOfRow.keys()).filter((r) => userOfRow[r] === u);
    const order = new NumpyRandomState(seed).permutation(group.length);
    const sampled = Array.from(order, (i) => group[i]);
    if (sampled.length > 0) test.push(sampled[0]);
    if (sampled.length > 1) dev.push(sampled[1]);
    train.push(...sampled.slice(2));
  }
  return { test, dev, train };
}

Deno.test("pandasSampleIndices matches df.sample(frac=0.03, random_state=42) on ml-latest-small", () => {
  assert.match(sampleReference.source, new RegExp(`${ML_LATEST_SMALL_ROWS} rows`));
  const got = pandasSampleIndices(ML_LATEST_SMALL_ROWS, 0.03, 42);
  assert.equal(got.length, sampleReference.n);
  assert.deepEqual(Array.from(got), sampleReference.index);
});

Deno.test("sample size is Python's round(frac * n): halves go to the even neighbour", () => {
  // round(0.5) = 0, round(1.5) = 2, round(2.5) = 2, round(3.5) = 4; 0.25 * n is exact.
  for (const [n, size] of [[2, 0], [6, 2], [10, 2], [14, 4], [9, 2], [11, 3]]) {
    assert.equal(pandasSampleIndices(n, 0.25, 1).length, size, `n=${n}`);
  }
  assert.equal(pandasSampleIndices(7, 0, 1).length, 0);
  assert.equal(pandasSampleIndices(0, 0.5, 1).length, 0);
});

Deno.test("a sample is the prefix of the seeded permutation", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 0xffffffff }),
      (n, frac, seed) => {
        const got = pandasSampleIndices(n, frac, seed);
        const permutation = new NumpyRandomState(seed).permutation(n);
        assert.deepEqual(got, permutation.slice(0, got.length));
        assert.ok(Math.abs(got.length - frac * n) <= 0.5);
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("pandasSampleIndices rejects frac outside [0, 1] and bad n", () => {
  assert.throws(() => pandasSampleIndices(10, 1.5, 42), RangeError);
  assert.throws(() => pandasSampleIndices(10, -0.1, 42), RangeError);
  assert.throws(() => pandasSampleIndices(10, NaN, 42), RangeError);
  assert.throws(() => pandasSampleIndices(-1, 0.5, 42), RangeError);
});

Deno.test("pandasPerUserSplit matches the study's split of ml-latest-small (seed 42)", () => {
  const rowsPerUser: number[] = splitReference.rowsPerUser;
  const userOfRow = userOfRowFromRuns(rowsPerUser);
  assert.equal(userOfRow.length, ML_LATEST_SMALL_ROWS);
  const split = pandasPerUserSplit(userOfRow, rowsPerUser.length, 42);
  assert.deepEqual(Array.from(split.test), splitReference.testIndex);
  assert.deepEqual(Array.from(split.dev), splitReference.devIndex);
  assert.equal(split.train.length, ML_LATEST_SMALL_ROWS - 2 * rowsPerUser.length);
});

Deno.test("pandasPerUserSplit equals the naive per-group statement, users interleaved", () => {
  // Rows of users interleave in any way; dense ids are in order of first appearance.
  const rowsInFirstAppearanceOrder = fc.array(fc.nat(12), { maxLength: 300 }).map((raw) => {
    const dense = new Map<number, number>();
    return Int32Array.from(raw, (x) => {
      if (!dense.has(x)) dense.set(x, dense.size);
      return dense.get(x)!;
    });
  });
  fc.assert(
    fc.property(
      rowsInFirstAppearanceOrder,
      fc.nat(3),
      fc.integer({ min: 0, max: 0xffffffff }),
      (userOfRow, trailingEmptyUsers, seed) => {
        const nUsers = new Set(userOfRow).size + trailingEmptyUsers;
        const got = pandasPerUserSplit(userOfRow, nUsers, seed);
        const expected = naiveSplit(userOfRow, nUsers, seed);
        assert.deepEqual(Array.from(got.test), expected.test);
        assert.deepEqual(Array.from(got.dev), expected.dev);
        assert.deepEqual(Array.from(got.train), expected.train);
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("a user with one row has only a test row", () => {
  // users: 0 has rows 0, 2, 3; 1 has row 1 only
  const split = pandasPerUserSplit(Int32Array.from([0, 1, 0, 0]), 2, 42);
  assert.equal(split.test.length, 2);
  assert.equal(split.test[1], 1);
  assert.equal(split.dev.length, 1);
  assert.equal(split.train.length, 1);
  assert.deepEqual(
    [split.test[0], split.dev[0], split.train[0]].sort((a, b) => a - b),
    [0, 2, 3],
  );
});

Deno.test("pandasPerUserSplit rejects ids out of range or not in first-appearance order", () => {
  assert.throws(() => pandasPerUserSplit(Int32Array.from([0, 2]), 3, 42), /first appearance/);
  assert.throws(() => pandasPerUserSplit(Int32Array.from([1, 0]), 2, 42), /userOfRow\[0\]/);
  assert.throws(() => pandasPerUserSplit(Int32Array.from([0, 1]), 1, 42), RangeError);
  assert.throws(() => pandasPerUserSplit(Int32Array.from([0, -1]), 1, 42), RangeError);
});
