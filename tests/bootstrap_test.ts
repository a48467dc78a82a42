/** Percentile bootstrap intervals: hand-worked quantiles, brute force, 1/√n, determinism. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { seededRandom } from "../data/rng/seeded.ts";
import {
  bootstrapMeans,
  bootstrapStatistics,
  EXPAND_SLACK,
  expandResample,
  percentileInterval,
  ResampleDraws,
} from "../runners/uncertainty/bootstrap.ts";

const f64 = (values: number[]) => Float64Array.from(values);

Deno.test("percentile interval: numpy's linear quantiles, hand-worked", () => {
  // 1..5 at level 0.5: quantiles 0.25 and 0.75 sit at positions 1 and 3 -> 2 and 4.
  assert.deepEqual(percentileInterval(f64([5, 3, 1, 4, 2]), 0.5), [2, 4]);
  // 1..11 at 0.95: positions 0.025·10 = 0.25 and 9.75 -> 1.25 and 10.75.
  const [low, high] = percentileInterval(f64([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]));
  assert.ok(Math.abs(low - 1.25) < 1e-12 && Math.abs(high - 10.75) < 1e-12);
  // NaN statistics (empty resamples) are left out; none left: NaN bounds.
  assert.deepEqual(percentileInterval(f64([NaN, 2, NaN, 4, 3]), 0.5), [2.5, 3.5]);
  assert.ok(percentileInterval(f64([NaN, NaN])).every(Number.isNaN));
});

Deno.test("draw counts are the same stream as single draws", () => {
  const single = new ResampleDraws(99);
  const counted = new ResampleDraws(99);
  const counts = new Uint16Array(37);
  for (let round = 0; round < 3; round++) {
    const expected = new Uint16Array(37);
    for (let i = 0; i < 37; i++) expected[single.index(37)]++;
    counted.countDraws(counts);
    assert.deepEqual(counts, expected);
  }
});

/** The textbook bootstrap: materialise each resample, average it, sort, interpolate. */
function bruteForceMeans(columns: number[][], resamples: number, seed: number) {
  const users = columns[0].map((_, u) => u).filter((u) => columns.some((c) => !Number.isNaN(c[u])));
  const draws = new ResampleDraws(seed);
  const stats = columns.map(() => [] as number[]);
  for (let b = 0; b < resamples; b++) {
    const sample = users.map(() => users[draws.index(users.length)]);
    columns.forEach((column, m) => {
      const values = sample.map((u) => column[u]).filter((v) => !Number.isNaN(v));
      stats[m].push(values.length ? values.reduce((a, v) => a + v, 0) / values.length : NaN);
    });
  }
  return stats.map((s) => {
    const sorted = s.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const at = (q: number) => {
      const h = q * (sorted.length - 1);
      const lo = Math.floor(h);
      return sorted[lo] + (h - lo) * ((sorted[Math.ceil(h)] ?? sorted[lo]) - sorted[lo]);
    };
    return [at(0.025), at(0.975)];
  });
}

Deno.test("means: equal to a brute-force bootstrap with the same draws (property)", () => {
  const value = fc.oneof(
    fc.constant(0),
    fc.constant(NaN),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }).chain((metrics) =>
        fc.array(fc.array(value, { minLength: metrics, maxLength: metrics }), {
          minLength: 1,
          maxLength: 12,
        })
      ),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (rows, seed) => {
        const columns = rows[0].map((_, m) => rows.map((r) => r[m]));
        const fast = bootstrapMeans(columns.map(f64), { resamples: 40, seed });
        const slow = bruteForceMeans(columns, 40, seed);
        fast.forEach(([low, high], m) => {
          for (const [a, b] of [[low, slow[m][0]], [high, slow[m][1]]]) {
            assert.ok(
              (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-12,
              `metric ${m}: ${a} vs ${b}`,
            );
          }
        });
      },
    ),
    { seed: 10, numRuns: 200 },
  );
});

Deno.test("means: the interval contains the mean (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 30, maxLength: 300 }),
      fc.integer({ min: 0, max: 1000 }),
      (values, seed) => {
        const mean = values.reduce((a, v) => a + v, 0) / values.length;
        const [[low, high]] = bootstrapMeans([f64(values)], { resamples: 500, seed });
        assert.ok(low <= mean && mean <= high, `${low} <= ${mean} <= ${high}`);
      },
    ),
    { seed: 3, numRuns: 60 },
  );
});

/** Bernoulli(0.3) values for n users, from a seeded generator. */
function bernoulli(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
}

Deno.test("means: the width shrinks as 1/√n and matches the normal approximation", () => {
  const width = (n: number) => {
    const [[low, high]] = bootstrapMeans([bernoulli(n, n)], { resamples: 2000, seed: 1 });
    return high - low;
  };
  const small = width(1000);
  const large = width(16000);
  // 16 times the users: a quarter of the width.
  assert.ok(Math.abs(small / large - 4) < 0.4, `ratio ${small / large}`);
  // 2 · 1.96 · √(p(1-p)/n) at p = 0.3, n = 16000.
  const normal = 2 * 1.96 * Math.sqrt(0.21 / 16000);
  assert.ok(Math.abs(large / normal - 1) < 0.1, `${large} vs ${normal}`);
});

Deno.test("seeded: the same seed gives the same intervals, another seed others", () => {
  const values = bernoulli(500, 7);
  const a = bootstrapMeans([values], { resamples: 300, seed: 5 });
  const b = bootstrapMeans([values], { resamples: 300, seed: 5 });
  const c = bootstrapMeans([values], { resamples: 300, seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("statistics: RMSE over resampled rows equals a brute-force bootstrap", () => {
  const errors = f64([0.5, -1, 2, 0, 1.5, -0.5, 3]);
  const rmse = (rows: ArrayLike<number>) =>
    Math.sqrt(Array.from(rows, (r) => errors[r] ** 2).reduce((a, v) => a + v, 0) / rows.length);
  const buffer = new Float64Array(errors.length + EXPAND_SLACK);
  const expanded = buffer.subarray(0, errors.length);
  const [fast] = bootstrapStatistics(errors.length, 1, (counts, out) => {
    expandResample(counts, errors, buffer);
    out[0] = Math.sqrt(expanded.reduce((a, e) => a + e * e, 0) / expanded.length);
  }, { resamples: 50, seed: 11 });
  const draws = new ResampleDraws(11);
  const stats = Array.from({ length: 50 }, () => rmse(Array.from(errors, () => draws.index(7))));
  const slow = percentileInterval(f64(stats));
  assert.ok(Math.abs(fast[0] - slow[0]) < 1e-12 && Math.abs(fast[1] - slow[1]) < 1e-12);
  const point = rmse([0, 1, 2, 3, 4, 5, 6]);
  assert.ok(fast[0] <= point && point <= fast[1]);
});

Deno.test("nothing to resample: NaN bounds", () => {
  assert.ok(bootstrapMeans([f64([NaN, NaN])], { resamples: 10, seed: 1 })[0].every(Number.isNaN));
  assert.ok(bootstrapStatistics(0, 1, () => {}, { resamples: 10, seed: 1 })[0].every(Number.isNaN));
});

Deno.test("expanding a resample: each value as often as drawn, in unit order", () => {
  const counts = Uint16Array.from([0, 2, 1, 0, 5, 0, 1]);
  const into = new Float64Array(9 + EXPAND_SLACK);
  expandResample(counts, f64([10, 11, 12, 13, 14, 15, 16]), into);
  assert.deepEqual([...into.subarray(0, 9)], [11, 11, 12, 14, 14, 14, 14, 14, 16]);
});
