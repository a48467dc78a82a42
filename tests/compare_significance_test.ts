/** Paired tests on per-user values: the library's numbers, the join, the large-n path. */
import assert from "node:assert/strict";
import { join } from "node:path";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import wilcoxon from "@stdlib/stats-wilcoxon";
import fc from "fast-check";
import { formatP } from "../runners/compare/cells.ts";
import { compareWithBaseline, pairedTests } from "../runners/compare/significance.ts";
import {
  LIBRARY_PAIRS_LIMIT,
  normalApproximation,
  wilcoxonSignedRank,
} from "../runners/compare/wilcoxon.ts";
import { UserError } from "../runners/errors.ts";
import { readPerUserValues } from "../runners/run_folder/per_user_values.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";

const work = Deno.makeTempDirSync({ prefix: "compare-significance-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

// R's ?wilcox.test example (Hollander & Wolfe, depression scale before/after): R prints
// t.test(x, y, paired = TRUE): t = 3.0354, df = 8, p-value = 0.01618 and
// wilcox.test(x, y, paired = TRUE): V = 40, p-value = 0.03906 (exact).
const x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

/** Writes a run whose per_user_test.arrow holds the given users and ndcg values. */
function runWith(i: number, users: number[], ndcg: number[]) {
  return {
    id: runId(i),
    dir: writeRun(join(work, "toppop"), {
      id: runId(i),
      spec: toppopSpec(),
      metrics: { test: { "ndcg@10": 0 } },
      perUser: {
        test: { user_id: Int32Array.from(users), "ndcg@10": Float64Array.from(ndcg) },
      },
    }),
  };
}

Deno.test("paired t-test and Wilcoxon reproduce R's documented example", () => {
  const baseline = runWith(1, [1, 2, 3, 4, 5, 6, 7, 8, 9], y);
  const other = runWith(2, [1, 2, 3, 4, 5, 6, 7, 8, 9], x);
  const [test] = compareWithBaseline(baseline, [other], "test")[0].tests;
  assert.equal(test.metric, "ndcg@10");
  assert.equal(test.pairs, 9);
  assert.ok(Math.abs(test.t - 3.0354) < 5e-5, `t = ${test.t}`);
  assert.ok(Math.abs(test.tPValue - 0.01618) < 5e-6, `p = ${test.tPValue}`);
  assert.equal(test.wilcoxonStatistic, 40);
  assert.ok(Math.abs(test.wilcoxonPValue - 0.03906) < 5e-6, `p = ${test.wilcoxonPValue}`);
  const meanDifference = x.reduce((s, v, i) => s + v - y[i], 0) / 9;
  assert.ok(Math.abs(test.meanDifference - meanDifference) < 1e-12);
});

Deno.test("users are joined on user_id; users missing or NaN in either run are dropped", () => {
  // Baseline users 1..4 (user 3 not evaluated); other users 4, 2, 1, 5 in another order.
  const baseline = readPerUserValues(runWith(3, [1, 2, 3, 4], [0.5, 0.2, NaN, 0.1]).dir, "test");
  const other = readPerUserValues(runWith(4, [4, 2, 1, 5], [0.4, NaN, 0.9, 0.3]).dir, "test");
  const [test] = pairedTests(baseline, other);
  // Pairs: user 1 (0.5 -> 0.9) and user 4 (0.1 -> 0.4); user 2 NaN, 3 NaN, 5 absent.
  assert.equal(test.pairs, 2);
  assert.ok(Math.abs(test.baselineMean - 0.3) < 1e-12);
  assert.ok(Math.abs(test.otherMean - 0.65) < 1e-12);
  assert.ok(Math.abs(test.meanDifference - 0.35) < 1e-12);
});

Deno.test("identical runs and single pairs give n/a (NaN), not an exception", () => {
  const a = readPerUserValues(runWith(5, [1, 2, 3], [0.1, 0.2, 0.3]).dir, "test");
  const [same] = pairedTests(a, a);
  assert.equal(same.meanDifference, 0);
  assert.ok(Number.isNaN(same.tPValue) && Number.isNaN(same.wilcoxonPValue));
  const b = readPerUserValues(runWith(6, [3], [0.9]).dir, "test");
  const [single] = pairedTests(a, b);
  assert.equal(single.pairs, 1);
  assert.ok(Number.isNaN(single.tPValue) && Number.isNaN(single.wilcoxonPValue));
});

Deno.test("a run without per-user values is an error naming the file", async () => {
  const error = await caught(() => readPerUserValues(runWith(7, [1], [0]).dir, "dev"));
  assert.ok(error instanceof UserError);
  assert.match(error.describe(), /per_user_dev\.arrow: no per-user metric values/);
});

Deno.test("the large-sample path equals stdlib's normal approximation (ties, zeros, signs)", () => {
  // Values on a coarse grid force ties and zero differences, as hit_rate or ndcg do.
  const value = fc.integer({ min: 0, max: 12 }).map((v) => v / 4);
  const pairs = fc.array(fc.tuple(value, value), { minLength: 51, maxLength: 400 })
    .filter((p) => p.some(([a, b]) => a !== b));
  fc.assert(
    fc.property(pairs, (p) => {
      const a = Float64Array.from(p, ([u]) => u);
      const b = Float64Array.from(p, ([, v]) => v);
      const nonzero = p.filter(([u, v]) => u !== v).length;
      const ours = normalApproximation(a, b, nonzero);
      const library = wilcoxon(a, b);
      assert.equal(ours.statistic, library.statistic);
      assert.ok(
        Math.abs(ours.pValue - library.pValue) < 1e-12,
        `${ours.pValue} vs ${library.pValue}`,
      );
    }),
    { numRuns: 60 },
  );
});

Deno.test("above the library limit the fast path is used, with continuous values too", () => {
  const n = LIBRARY_PAIRS_LIMIT + 1;
  const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10);
  const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10 + Math.cos(i * 7) + 0.05);
  const ours = wilcoxonSignedRank(a, b);
  const library = wilcoxon(a, b);
  assert.equal(ours.statistic, library.statistic);
  assert.ok(Math.abs(ours.pValue - library.pValue) < 1e-12);
});

Deno.test("p-values below 1e-16 are computed from the tail, not cut to 0 by 1 − CDF", () => {
  // 100 distinct positive differences: W+ = 5050, z = (5050 − 2525 − 0.5) / √(100·101·201/24).
  const a = Float64Array.from({ length: 100 }, (_, i) => 1 + i / 100);
  const b = new Float64Array(100);
  const { statistic, pValue } = wilcoxonSignedRank(a, b);
  assert.equal(statistic, 5050);
  assert.equal(wilcoxon(a, b).pValue, 0, "stdlib's own normal tail underflows here");
  const z = (5050 - 2525 - 0.5) / Math.sqrt((100 * 101 * 201) / 24);
  const expected = 2 * normalCdf(-z, 0, 1); // ≈ 4e-18
  assert.ok(pValue > 0 && pValue < 1e-16, `p = ${pValue}`);
  assert.ok(Math.abs(pValue / expected - 1) < 1e-12, `${pValue} vs ${expected}`);
});

Deno.test("a p-value that underflows to 0 prints as a bound, never as 0", () => {
  assert.equal(formatP(0), "< 1e-300");
  assert.equal(formatP(4e-18), "4.0e-18");
  assert.equal(formatP(0.0123), "0.012");
  assert.equal(formatP(NaN), "n/a");
  // Thousands of users all better by a wide margin: both tests underflow the doubles.
  const n = LIBRARY_PAIRS_LIMIT + 10;
  const base = new Float64Array(n);
  const other = Float64Array.from({ length: n }, (_, i) => 1 + (i % 7) / 100);
  const userId = Int32Array.from({ length: n }, (_, i) => i);
  const values = (column: Float64Array) => ({
    file: "per_user_test.arrow",
    userId,
    metrics: new Map([["ndcg@10", column]]),
  });
  const [test] = pairedTests(values(base), values(other));
  assert.equal(test.tPValue, 0);
  assert.equal(test.wilcoxonPValue, 0);
  assert.equal(formatP(test.tPValue), "< 1e-300");
});
