/** Gini index of recommendation counts and intra-list diversity: by hand and by definition. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { giniIndex } from "../metrics/beyond/gini.ts";
import { intraListDiversity } from "../metrics/beyond/intra_list_diversity.ts";
import { evaluateRanking } from "../metrics/evaluate_ranking.ts";
import { defaultRankingMetrics, metricBetter, metricNeeds } from "../metrics/registry.ts";

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

function csr(rows: number[][]) {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => (offsets[u + 1] = offsets[u] + row.length));
  return { offsets, values: Int32Array.from(rows.flat()) };
}

const lists = (rows: number[][], rowLength: number, included = rows.map(() => 1)) => {
  const items = new Int32Array(rows.length * rowLength).fill(-1);
  rows.forEach((row, u) => items.set(row, u * rowLength));
  return { items, rowLength, included: Uint8Array.from(included) };
};

Deno.test("Gini, by hand: 0 for equal counts, (n-1)/n for one item, in between", () => {
  // 4 items each recommended twice
  assert.equal(giniIndex(lists([[0, 1], [2, 3], [1, 0], [3, 2]], 2), 2, 4), 0);
  // every slot to item 2 of 4: (n - 1) / n
  assert.equal(giniIndex(lists([[2], [2], [2]], 1), 1, 4), 3 / 4);
  // counts 0, 1, 3 (items 0, 1, 2): sorted weights (2i - n - 1) = -2, 0, 2 -> (0 + 0 + 6) / (3 * 4)
  assert.equal(giniIndex(lists([[2, 1], [2, -1], [2, -1]], 2), 2, 3), 0.5);
  // a cutoff of 1 and an excluded row: counts {2: 2} of 3 items -> 2/3
  assertClose(giniIndex(lists([[2, 1], [0, 1], [2, 1]], 2, [1, 0, 1]), 1, 3), 2 / 3, "@1");
  assert.ok(Number.isNaN(giniIndex(lists([[-1]], 1), 1, 3)), "nothing recommended");
  assert.equal(metricBetter("gini"), "lower");
});

Deno.test("property: Gini equals the mean absolute difference form and lies in [0, (n-1)/n]", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 4 }), { maxLength: 8 }),
      )
    ),
    ([n, rows]) => {
      const counts = new Array(n).fill(0);
      for (const row of rows) for (const item of row) counts[item]++;
      const total = counts.reduce((a, b) => a + b, 0);
      let differences = 0;
      for (const a of counts) for (const b of counts) differences += Math.abs(a - b);
      const expected = differences / (2 * n * total); // NaN when nothing was recommended
      const actual = giniIndex(lists(rows, 4), 4, n);
      if (total === 0) assert.ok(Number.isNaN(actual));
      else {
        assertClose(actual, expected, "gini");
        assert.ok(actual >= -1e-12 && actual <= (n - 1) / n + 1e-12);
      }
    },
  ));
});

// genres: item 0 {0, 1}, item 1 {1}, item 2 {} (UNKNOWN), item 3 {0, 1, 2}, item 4 {3}
const GENRES = csr([[0, 1], [1], [], [0, 1, 2], [3]]);

Deno.test("intra-list diversity, by hand: mean Jaccard distance over pairs with genres", () => {
  // pairs (0,1): 1 - 1/2; (0,3): 1 - 2/3; (1,3): 1 - 1/3; item 2 has no genres
  const items = Int32Array.from([0, 2, 1, 3]);
  assertClose(intraListDiversity(items, 0, 4, GENRES), (1 / 2 + 1 / 3 + 2 / 3) / 3, "four");
  assert.equal(intraListDiversity(Int32Array.from([4, 0]), 0, 2, GENRES), 1, "disjoint");
  assert.equal(intraListDiversity(Int32Array.from([0, 0]), 0, 2, GENRES), 0, "identical sets");
  assert.ok(Number.isNaN(intraListDiversity(Int32Array.from([2, 1]), 0, 2, GENRES)), "one item");
  assert.deepEqual(metricNeeds("ild"), ["item_features"]);
  assert.ok(!defaultRankingMetrics().includes("ild"), "only where features exist, when asked");
});

Deno.test("property: intra-list diversity equals the Set-based definition", () => {
  fc.assert(fc.property(
    fc.array(fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 4 }), { minLength: 1, maxLength: 8 })
      .chain((sets) =>
        fc.tuple(
          fc.constant(sets),
          fc.shuffledSubarray(sets.map((_, i) => i)),
        )
      ),
    ([sets, list]) => {
      const features = csr(sets.map((s) => [...s].sort((a, b) => a - b)));
      const withGenres = list.filter((i) => sets[i].length > 0);
      let sum = 0, pairs = 0;
      for (let x = 0; x < withGenres.length; x++) {
        for (let y = x + 1; y < withGenres.length; y++) {
          const a = new Set(sets[withGenres[x]]), b = new Set(sets[withGenres[y]]);
          const common = [...a].filter((g) => b.has(g)).length;
          sum += 1 - common / new Set([...a, ...b]).size;
          pairs++;
        }
      }
      const actual = intraListDiversity(Int32Array.from(list), 0, list.length, features);
      if (pairs === 0) assert.ok(Number.isNaN(actual));
      else assertClose(actual, sum / pairs, "ild");
    },
  ));
});

Deno.test("evaluateRanking: ild and gini per cutoff; ild refused without item features", () => {
  const recs = Int32Array.from([0, 1, 3, 4, 0, -1]);
  const truth = csr([[1], [4]]);
  const result = evaluateRanking(recs, 3, truth, {
    metrics: ["ild", "ild@2", "gini@1"],
    catalogueSize: 5,
    itemFeatures: GENRES,
  });
  assertClose(result.perUser["ild@3"][0], (1 / 2 + 1 / 3 + 2 / 3) / 3, "user 0 @3");
  assertClose(result.perUser["ild@2"][0], 1 / 2, "user 0 @2");
  assert.equal(result.perUser["ild@3"][1], 1, "user 1: {3} and {0, 1}");
  assertClose(result.mean["ild@2"], (1 / 2 + 1) / 2, "mean @2");
  // @1: items 0 and 3 once each among 5 items: sorted counts 0 0 0 1 1, weights (2i - n - 1)
  // -4 -2 0 2 4 -> (2 + 4) / (5 * 2)
  assertClose(result.mean["gini@1"], 0.6, "gini@1");
  assert.throws(
    () => evaluateRanking(recs, 3, truth, { metrics: ["ild"], catalogueSize: 5 }),
    /metric "ild" needs item features/,
  );
  assert.throws(
    () =>
      evaluateRanking(recs, 3, truth, { metrics: ["ild"], catalogueSize: 4, itemFeatures: GENRES }),
    /itemFeatures has 5 rows but the catalogue has 4 items/,
  );
});
