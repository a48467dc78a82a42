/** MAP@k and the top-k AUC: hand-worked cases, and against brute-force definitions. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { evaluateRanking } from "../metrics/evaluate_ranking.ts";
import { aucTopK } from "../metrics/ranking/auc_topk.ts";
import { map } from "../metrics/ranking/map.ts";
import type { UserRanking } from "../metrics/ranking/user_ranking.ts";
import { metricBetter, metricNeeds } from "../metrics/registry.ts";

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

function ranking(hits: number[], truthSize: number, negatives = NaN, k = hits.length): UserRanking {
  return { hits: Uint8Array.from(hits), k, truthSize, length: hits.length, negatives };
}

function csr(rows: number[][]) {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, u) => (offsets[u + 1] = offsets[u] + row.length));
  return { offsets, values: Int32Array.from(rows.flat()) };
}

Deno.test("MAP, by hand: precision at each hit rank over min(|truth|, k)", () => {
  // hits at ranks 1 and 3: (1/1 + 2/3) / min(3, 4)
  assertClose(map.perUser(ranking([1, 0, 1, 0], 3)), (1 + 2 / 3) / 3, "3 relevant");
  // 10 relevant, k 4: the most the top 4 can hold is 4 hits
  assertClose(map.perUser(ranking([0, 1, 1, 0], 10)), (1 / 2 + 2 / 3) / 4, "min(10, 4)");
  assert.equal(map.perUser(ranking([1, 1], 2)), 1, "every relevant item on top");
  assert.equal(map.perUser(ranking([0, 0, 0], 1)), 0);
  // a cutoff of 2 sees only ranks 1 and 2
  assertClose(map.perUser(ranking([0, 1, 1], 2, NaN, 2)), 1 / 2 / 2, "map@2");
  assert.equal(metricBetter("map"), "higher");
});

Deno.test("top-k AUC, by hand: listed order, then the rest tied at 1/2", () => {
  // catalogue of 10, truth 2 items, 8 non-relevant (nothing excluded); list of 3, hit at rank 2
  // the hit beats the 7 non-relevant items below it (not the one at rank 1): 7 pairs
  // the unlisted relevant item: loses to 2 listed non-relevant, ties with the 6 others: 3
  assertClose(aucTopK.perUser(ranking([0, 1, 0], 2, 8)), (7 + 3) / (2 * 8), "by hand");
  // every relevant item listed first: AUC 1; listed last of all items: 0
  assert.equal(aucTopK.perUser(ranking([1, 1, 0], 2, 8)), 1);
  assert.equal(aucTopK.perUser(ranking([0, 0, 0, 1], 1, 3)), 0, "a full ranking, hit last");
  // an empty list: everything ties, 1/2
  assert.equal(aucTopK.perUser({ ...ranking([0, 0], 3, 5), length: 0 }), 0.5);
  assert.ok(Number.isNaN(aucTopK.perUser(ranking([1], 1, 0))), "no non-relevant item: NaN");
  assert.deepEqual(metricNeeds("auc_topk@5"), ["excluded_items"]);
});

/**
 * The definition, pair by pair: rank = position in the first k of the list, unlisted items
 * share the last rank; non-relevant = the catalogue minus the truth minus the excluded items.
 */
function bruteAuc(list: number[], truth: number[], excluded: number[], n: number, k: number) {
  const rank = (item: number) => {
    const r = list.slice(0, k).indexOf(item);
    return r < 0 ? Infinity : r;
  };
  const relevant = [...new Set(truth)];
  const negatives = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !relevant.includes(i) && !excluded.includes(i));
  let sum = 0;
  for (const p of relevant) {
    for (const q of negatives) sum += rank(p) < rank(q) ? 1 : rank(p) === rank(q) ? 0.5 : 0;
  }
  return sum / (relevant.length * negatives.length);
}

/** Users with a list that avoids their excluded items, a truth that may overlap them. */
const usersArbitrary = fc.integer({ min: 2, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    k: fc.integer({ min: 1, max: n }),
    users: fc.array(
      fc.record({
        excluded: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: n - 1 }),
        truth: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: n }),
        order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i)),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
);

Deno.test("property: the top-k AUC equals the pairwise definition, with exclusion, at every cutoff", () => {
  fc.assert(fc.property(usersArbitrary, ({ n, k, users }) => {
    const lists = users.map((u) => u.order.filter((i) => !u.excluded.includes(i)).slice(0, k));
    const recs = new Int32Array(users.length * k).fill(-1);
    lists.forEach((list, u) => recs.set(list, u * k));
    const cutoffs = Array.from({ length: k }, (_, c) => `auc_topk@${c + 1}`);
    const result = evaluateRanking(recs, k, csr(users.map((u) => u.truth)), {
      metrics: cutoffs,
      catalogueSize: n,
      excluded: csr(users.map((u) => u.excluded)),
      hasList: new Uint8Array(users.length).fill(1),
    });
    users.forEach((user, u) => {
      for (let c = 1; c <= k; c++) {
        const expected = bruteAuc(lists[u], user.truth, user.excluded, n, c);
        const actual = result.perUser[`auc_topk@${c}`][u];
        if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual));
        else assertClose(actual, expected, `user ${u} @${c}`);
      }
    });
  }));
});

Deno.test("property: a list of every item it could hold gives the exact AUC of that ranking", () => {
  fc.assert(fc.property(
    fc.integer({ min: 2, max: 15 }).chain((n) =>
      fc.tuple(
        fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n }),
        fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: n - 1 }),
      )
    ),
    ([order, truth]) => {
      const n = order.length;
      const result = evaluateRanking(Int32Array.from(order), n, csr([truth]), {
        metrics: ["auc_topk"],
        catalogueSize: n,
        excluded: null,
      });
      // exact AUC: the share of (relevant, non-relevant) pairs in the right order
      let correct = 0;
      for (const p of truth) {
        for (const q of order) {
          if (!truth.includes(q) && order.indexOf(p) < order.indexOf(q)) correct++;
        }
      }
      assertClose(result.mean[`auc_topk@${n}`], correct / (truth.length * (n - truth.length)), "");
    },
  ));
});

Deno.test("property: MAP equals its definition from the hit ranks", () => {
  fc.assert(fc.property(
    fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
    fc.integer({ min: 1, max: 20 }),
    (hits, extra) => {
      const count = hits.filter(Boolean).length;
      const truthSize = count + extra - 1 || 1;
      let ap = 0;
      hits.forEach((hit, r) => {
        if (hit) ap += hits.slice(0, r + 1).filter(Boolean).length / (r + 1);
      });
      const expected = ap / Math.min(truthSize, hits.length);
      assertClose(map.perUser(ranking(hits.map(Number), truthSize)), expected, "ap");
      assert.ok(expected >= 0 && expected <= 1);
    },
  ));
});

Deno.test("the top-k AUC needs to be told what was excluded (or null) and the catalogue size", () => {
  const recs = Int32Array.from([0, 1]);
  assert.throws(
    () => evaluateRanking(recs, 2, csr([[1]]), { metrics: ["auc_topk"], catalogueSize: 4 }),
    /metric "auc_topk@2" needs options.excluded/,
  );
  assert.throws(
    () => evaluateRanking(recs, 2, csr([[1]]), { metrics: ["auc_topk"], excluded: null }),
    /needs options.catalogueSize/,
  );
  assert.throws(
    () =>
      evaluateRanking(recs, 2, csr([[1]]), {
        metrics: ["auc_topk"],
        catalogueSize: 4,
        excluded: csr([[9]]),
      }),
    /excluded.values\[0\] = 9/,
  );
});

Deno.test("plan: evaluate learns what the lists excluded only when a metric needs it", async () => {
  const { validateSpec } = await import("../runners/spec/load.ts");
  const { planExperiment } = await import("../runners/plan.ts");
  const evaluateParams = (model: Record<string, unknown>, metrics: string[]) =>
    planExperiment(
      validateSpec({ name: "x", data: { scale: "tiny" }, model, evaluate: { metrics } }),
    )
      .filter((step) => step.name.startsWith("evaluate"))
      .map((step) => (step.params as { excluded?: string }).excluded);
  assert.deepEqual(evaluateParams({ type: "toppop" }, ["auc_topk"]), ["train", "train"]);
  assert.deepEqual(evaluateParams({ type: "toppop", exclude_seen: false }, ["auc_topk"]), [
    "none",
    "none",
  ]);
  assert.deepEqual(evaluateParams({ type: "toppop" }, ["map", "ndcg"]), [undefined, undefined]);
});
