/** evaluateRanking end to end: who is evaluated, per-user values, means, names, errors. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { evaluateRanking } from "../metrics/evaluate_ranking.ts";
import {
  isMetricName,
  metricNames,
  parseRecommendationMetric,
  recommendationMetricNames,
} from "../metrics/registry.ts";

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

function csr(rows: number[][]) {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => (offsets[u + 1] = offsets[u] + row.length));
  return { offsets, values: Int32Array.from(rows.flat()) };
}

const INV_LOG2_3 = 1 / Math.log2(3);

// k = 3, catalogue of 10 items
const recs = Int32Array.from([
  ...[1, 2, 5], // user 0: truth {1, 5, 7} (7 listed twice): hits at ranks 1 and 3
  ...[3, 4, -1], // user 1: truth {4}: hit at rank 2 of a 2-item list
  ...[-1, -1, -1], // user 2: no list -> not evaluated
  ...[6, 7, 8], // user 3: empty truth -> not evaluated
  ...[2, 3, 4], // user 4: truth {9}: no hit
]);
const truth = csr([[5, 1, 7, 7], [4], [2], [], [9]]);
const ndcgUser0 = 1.5 / (1.5 + INV_LOG2_3); // DCG 1 + 1/log2(4); IDCG 1 + 1/log2(3) + 1/log2(4)
const ndcgUser1 = INV_LOG2_3; // DCG 1/log2(3); IDCG 1

Deno.test("hand-worked: per-user values and means over users with a list and a truth", () => {
  const result = evaluateRanking(recs, 3, truth, {
    metrics: ["precision", "recall", "ndcg", "hit_rate", "mrr"],
  });
  assert.equal(result.users, 3);
  const expected: Record<string, number[]> = {
    "precision@3": [2 / 3, 1 / 3, NaN, NaN, 0], // hits / k, also for user 1's short list
    "recall@3": [2 / 3, 1, NaN, NaN, 0], // truth is a set: user 0 has 3 relevant items
    "ndcg@3": [ndcgUser0, ndcgUser1, NaN, NaN, 0],
    "hit_rate@3": [1, 1, NaN, NaN, 0],
    "mrr@3": [1, 1 / 2, NaN, NaN, 0],
  };
  assert.deepEqual(Object.keys(result.perUser), Object.keys(expected));
  for (const [name, values] of Object.entries(expected)) {
    values.forEach((v, u) => {
      if (Number.isNaN(v)) assert.ok(Number.isNaN(result.perUser[name][u]), `${name}[${u}]`);
      else assertClose(result.perUser[name][u], v, `${name}[${u}]`);
    });
  }
  assertClose(result.mean["precision@3"], (2 / 3 + 1 / 3 + 0) / 3, "mean precision");
  assertClose(result.mean["recall@3"], (2 / 3 + 1 + 0) / 3, "mean recall");
  assertClose(result.mean["ndcg@3"], (ndcgUser0 + ndcgUser1) / 3, "mean ndcg");
  assertClose(result.mean["hit_rate@3"], 2 / 3, "mean hit rate");
  assertClose(result.mean["mrr@3"], 1.5 / 3, "mean mrr");
});

Deno.test("hand-worked: explicit cutoffs, coverage and popularity from the same lists", () => {
  const popularity = Int32Array.from([0, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  const result = evaluateRanking(recs, 3, truth, {
    metrics: ["precision@2", "ndcg@2", "coverage@1", "coverage", "popularity_percentile@2"],
    popularity,
  });
  // user 0 hits rank 1 only within 2: precision 1/2, ndcg 1 / (1 + 1/log2 3)
  assertClose(result.perUser["precision@2"][0], 1 / 2, "precision@2 user 0");
  assertClose(result.perUser["ndcg@2"][0], 1 / (1 + INV_LOG2_3), "ndcg@2 user 0");
  assertClose(result.perUser["ndcg@2"][1], INV_LOG2_3, "ndcg@2 user 1");
  // evaluated users 0, 1, 4: rank 1 items {1, 3, 2}; all ranks {1, 2, 5, 3, 4}
  assert.equal(result.mean["coverage@1"], 0.3);
  assert.equal(result.mean["coverage@3"], 0.5);
  assert.ok(!("coverage@3" in result.perUser), "coverage is one number, not per user");
  // percentile of count c = 10 x (items with count <= c): item 1 -> 100, 2 -> 90, 3 -> 80, 4 -> 70
  const popularityPerUser = [(100 + 90) / 2, (80 + 70) / 2, NaN, NaN, (90 + 80) / 2];
  popularityPerUser.forEach((v, u) =>
    assert.ok(Object.is(result.perUser["popularity_percentile@2"][u], v), `user ${u}`)
  );
  assertClose(result.mean["popularity_percentile@2"], (95 + 75 + 85) / 3, "mean popularity");
});

Deno.test("hasList: a user marked as having an (empty) list scores 0 instead of being skipped", () => {
  const hasList = Uint8Array.from([1, 1, 1, 1, 0]);
  const result = evaluateRanking(recs, 3, truth, {
    metrics: ["recall", "novelty"],
    hasList,
    popularity: new Int32Array(10).fill(4),
    trainUsers: 8,
  });
  // users 0, 1, 2 (user 3 has no truth, user 4 is marked without a list)
  assert.equal(result.users, 3);
  assert.equal(result.perUser["recall@3"][2], 0);
  assert.ok(Number.isNaN(result.perUser["recall@3"][4]));
  assertClose(result.mean["recall@3"], (2 / 3 + 1 + 0) / 3, "mean recall");
  // novelty: every item log2(8 / 4) = 1 bit; user 2's empty list has no mean
  assert.deepEqual([...result.perUser["novelty@3"]].map(String), ["1", "1", "NaN", "NaN", "NaN"]);
  assert.equal(result.mean["novelty@3"], 1);
});

Deno.test("no evaluated users: means are NaN, users 0", () => {
  const result = evaluateRanking(new Int32Array(0), 5, csr([]), { metrics: ["precision"] });
  assert.equal(result.users, 0);
  assert.ok(Number.isNaN(result.mean["precision@5"]));
});

Deno.test("names: bare names take k, repeats collapse, unknown names list the valid ones", () => {
  const result = evaluateRanking(recs, 3, truth, { metrics: ["mrr", "mrr@3", "mrr@1"] });
  assert.deepEqual(Object.keys(result.mean), ["mrr@3", "mrr@1"]);
  assert.throws(
    () => evaluateRanking(recs, 3, truth, { metrics: ["precison"] }),
    new RegExp(`unknown metric "precison"; valid names: ${recommendationMetricNames().join(", ")}`),
  );
  assert.throws(() => parseRecommendationMetric("ndcg@4", 3), /cutoff must be an integer in 1..3/);
  assert.throws(() => parseRecommendationMetric("ndcg@ 2", 3), /cutoff/);
  assert.deepEqual(parseRecommendationMetric("hit_rate@2", 10), {
    base: "hit_rate",
    k: 2,
    name: "hit_rate@2",
  });
  for (const name of ["precision", "ndcg@20", "coverage@5", "rmse", "r2"]) {
    assert.ok(isMetricName(name), name);
  }
  for (const name of ["rmse@10", "precision@0", "precision@", "f1"]) {
    assert.ok(!isMetricName(name), name);
  }
  assert.ok(metricNames().includes("mae") && metricNames().includes("novelty"));
});

Deno.test("bad input is refused with the field named", () => {
  const evaluate = (r: Int32Array, t = csr([[1]]), options = {}) =>
    evaluateRanking(r, 2, t, { metrics: ["precision"], ...options });
  assert.throws(() => evaluate(Int32Array.from([1, 2, 3])), /recs has 3 entries.*2 were expected/);
  assert.throws(() => evaluate(Int32Array.from([4, 4])), /row 0: item 4 is recommended twice/);
  assert.throws(
    () => evaluate(Int32Array.from([-1, 4])),
    /row 0: item 4 at rank 2 follows -1 padding/,
  );
  assert.throws(() => evaluate(Int32Array.from([-2, 4])), /item -2 at rank 1 is outside/);
  assert.throws(
    () => evaluate(Int32Array.from([1, 12]), csr([[1]]), { catalogueSize: 10 }),
    /item 12 at rank 2 is outside the items 0..9/,
  );
  assert.throws(
    () => evaluate(Int32Array.from([1, 2]), csr([[11]]), { catalogueSize: 10 }),
    /truth.values\[0\] = 11/,
  );
  assert.throws(
    () => evaluateRanking(Int32Array.from([1, 2]), 2, csr([[1]]), { metrics: ["coverage"] }),
    /coverage" needs options.catalogueSize/,
  );
  assert.throws(
    () =>
      evaluateRanking(Int32Array.from([1, 2]), 2, csr([[1]]), {
        metrics: ["novelty"],
        popularity: new Int32Array(3),
      }),
    /novelty" needs options.trainUsers/,
  );
  assert.throws(
    () =>
      evaluateRanking(Int32Array.from([1, 2]), 2, csr([[1]]), {
        metrics: ["popularity_percentile"],
      }),
    /needs options.popularity/,
  );
});

/** Random evaluations: nItems, k, rows of distinct items padded with -1, truth with repeats. */
const evaluationArbitrary = fc.record({
  nItems: fc.integer({ min: 1, max: 25 }),
  k: fc.integer({ min: 1, max: 8 }),
})
  .chain(({ nItems, k }) =>
    fc.array(
      fc.tuple(
        fc.uniqueArray(fc.nat({ max: nItems - 1 }), { maxLength: k }),
        fc.array(fc.nat({ max: nItems - 1 }), { maxLength: 6 }),
      ),
      { maxLength: 15 },
    ).map((users) => ({ nItems, k, lists: users.map((u) => u[0]), truths: users.map((u) => u[1]) }))
  );

function recsOf(lists: number[][], k: number): Int32Array {
  return Int32Array.from(lists.flatMap((l) => [...l, ...Array(k - l.length).fill(-1)]));
}

/** The study's definitions, written the slow obvious way with Sets. */
function naive(list: number[], truthItems: number[], k: number) {
  const relevant = new Set(truthItems);
  const top = list.slice(0, k);
  const hitRanks = top.flatMap((item, r) => (relevant.has(item) ? [r + 1] : []));
  let idcg = 0;
  for (let r = 1; r <= Math.min(relevant.size, k); r++) idcg += 1 / Math.log2(r + 1);
  return {
    precision: hitRanks.length / k,
    recall: hitRanks.length / relevant.size,
    ndcg: hitRanks.reduce((s, r) => s + 1 / Math.log2(r + 1), 0) / idcg,
    hit_rate: hitRanks.length > 0 ? 1 : 0,
    mrr: hitRanks.length > 0 ? 1 / hitRanks[0] : 0,
  };
}

Deno.test("property: equals the Set-based definitions at every cutoff", () => {
  fc.assert(fc.property(evaluationArbitrary, ({ nItems, k, lists, truths }) => {
    const names = ["precision", "recall", "ndcg", "hit_rate", "mrr"] as const;
    const metrics = names.flatMap((n) => Array.from({ length: k }, (_, c) => `${n}@${c + 1}`));
    const result = evaluateRanking(recsOf(lists, k), k, csr(truths), {
      metrics,
      catalogueSize: nItems,
    });
    let evaluated = 0;
    lists.forEach((list, u) => {
      const skipped = list.length === 0 || truths[u].length === 0;
      if (!skipped) evaluated++;
      for (let c = 1; c <= k; c++) {
        const expected = naive(list, truths[u], c);
        for (const n of names) {
          const actual = result.perUser[`${n}@${c}`][u];
          if (skipped) assert.ok(Number.isNaN(actual));
          else assertClose(actual, expected[n], `${n}@${c} user ${u}`);
        }
      }
    });
    assert.equal(result.users, evaluated);
  }));
});

Deno.test("property: precision and recall ignore order; ideal order gives ndcg 1; coverage grows with k", () => {
  fc.assert(fc.property(evaluationArbitrary, ({ nItems, k, lists, truths }) => {
    const options = { metrics: ["precision", "recall"], catalogueSize: nItems };
    const forward = evaluateRanking(recsOf(lists, k), k, csr(truths), options);
    const reversed = evaluateRanking(
      recsOf(lists.map((l) => [...l].reverse()), k),
      k,
      csr(truths),
      options,
    );
    assert.deepEqual(reversed.perUser, forward.perUser);

    const ideal = truths.map((t) => [...new Set(t)].slice(0, k));
    const best = evaluateRanking(recsOf(ideal, k), k, csr(truths), { metrics: ["ndcg"] });
    best.perUser[`ndcg@${k}`].forEach((v, u) => {
      if (truths[u].length > 0) assertClose(v, 1, `user ${u}`);
    });

    const cutoffs = Array.from({ length: k }, (_, c) => `coverage@${c + 1}`);
    const coverage = evaluateRanking(recsOf(lists, k), k, csr(truths), {
      metrics: cutoffs,
      catalogueSize: nItems,
    });
    let previous = 0;
    for (const name of cutoffs) {
      assert.ok(coverage.mean[name] >= previous && coverage.mean[name] <= 1, name);
      previous = coverage.mean[name];
    }
  }));
});
