/** Per-user ranking metrics, on hand-worked hit patterns and by property. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { hitRate } from "../metrics/ranking/hit_rate.ts";
import { mrr } from "../metrics/ranking/mrr.ts";
import { ndcg } from "../metrics/ranking/ndcg.ts";
import { precision } from "../metrics/ranking/precision.ts";
import { recall } from "../metrics/ranking/recall.ts";
import type { UserRanking } from "../metrics/ranking/user_ranking.ts";

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

function ranking(hits: number[], truthSize: number, k = hits.length): UserRanking {
  return { hits: Uint8Array.from(hits), k, truthSize, length: hits.length, negatives: NaN };
}

const LOG2_3 = Math.log2(3); // 1.5849625007211562

Deno.test("hits at ranks 1 and 3 of 3, truth of 3 items", () => {
  const user = ranking([1, 0, 1], 3);
  assertClose(precision.perUser(user), 2 / 3, "precision = 2 hits / k 3");
  assertClose(recall.perUser(user), 2 / 3, "recall = 2 hits / 3 relevant");
  assert.equal(hitRate.perUser(user), 1);
  assert.equal(mrr.perUser(user), 1, "first hit at rank 1");
  // DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5; IDCG (3 relevant, k 3) = 1 + 1/log2(3) + 0.5
  assertClose(ndcg.perUser(user), 1.5 / (1.5 + 1 / LOG2_3), "ndcg");
});

Deno.test("precision divides by the cutoff, not by a shorter list", () => {
  // list of 2 items (third rank empty), hit at rank 2, one relevant item
  const user = ranking([0, 1, 0], 1);
  assertClose(precision.perUser(user), 1 / 3, "1 hit / k 3");
  assert.equal(recall.perUser(user), 1);
  assert.equal(mrr.perUser(user), 0.5);
  // DCG = 1/log2(3); IDCG over min(1, 3) = 1 rank = 1
  assertClose(ndcg.perUser(user), 1 / LOG2_3, "ndcg");
});

Deno.test("IDCG counts min(|truth|, k) ranks", () => {
  // 5 relevant items, k 2, both ranks hit: DCG = IDCG = 1 + 1/log2(3)
  const user = ranking([1, 1], 5);
  assert.equal(ndcg.perUser(user), 1);
  assertClose(recall.perUser(user), 2 / 5, "recall = 2 / 5");
  assert.equal(precision.perUser(user), 1);
});

Deno.test("a smaller cutoff only sees the first ranks", () => {
  const user = ranking([0, 0, 1, 1], 2, 2);
  assert.equal(precision.perUser(user), 0);
  assert.equal(hitRate.perUser(user), 0);
  assert.equal(mrr.perUser(user), 0);
  assert.equal(ndcg.perUser(user), 0);
  user.k = 3;
  assertClose(mrr.perUser(user), 1 / 3, "first hit at rank 3");
  // DCG = 1/log2(4) = 0.5; IDCG = 1 + 1/log2(3)
  assertClose(ndcg.perUser(user), 0.5 / (1 + 1 / LOG2_3), "ndcg@3");
});

Deno.test("no hit scores 0 everywhere", () => {
  const user = ranking([0, 0, 0], 4);
  for (const metric of [precision, recall, hitRate, mrr, ndcg]) {
    assert.equal(metric.perUser(user), 0, metric.name);
  }
});

/** Hit patterns over k ranks with a truth size that can hold them all. */
const userArbitrary = fc.integer({ min: 1, max: 20 }).chain((k) =>
  fc.tuple(
    fc.array(fc.integer({ min: 0, max: 1 }), { minLength: k, maxLength: k }),
    fc.integer({ min: 0, max: 10 }),
  ).map(([hits, extra]) => {
    const hitCount = hits.reduce((a, b) => a + b, 0);
    return ranking(hits, Math.max(1, hitCount + extra), k);
  })
);

Deno.test("property: bounds and the order between metrics", () => {
  fc.assert(fc.property(userArbitrary, (user) => {
    const p = precision.perUser(user);
    const r = recall.perUser(user);
    const n = ndcg.perUser(user);
    const h = hitRate.perUser(user);
    const m = mrr.perUser(user);
    for (const v of [p, r, n, h, m]) assert.ok(v >= 0 && v <= 1 + 1e-12, `${v} in [0, 1]`);
    assert.equal(p > 0, h === 1, "precision > 0 exactly when there is a hit");
    assert.ok(h >= p, "hit_rate >= precision");
    assert.ok(m <= h, "mrr <= hit_rate");
  }));
});

Deno.test("property: ndcg is 1 exactly when the top min(|truth|, k) ranks all hit", () => {
  fc.assert(fc.property(userArbitrary, (user) => {
    const ideal = Math.min(user.truthSize, user.k);
    let prefixAllHits = true;
    for (let r = 0; r < ideal; r++) if (user.hits[r] === 0) prefixAllHits = false;
    const value = ndcg.perUser(user);
    if (prefixAllHits) assertClose(value, 1, "ideal list");
    else assert.ok(value < 1 - 1e-12, `${value} < 1`);
  }));
});

Deno.test("property: moving a hit earlier never lowers ndcg or mrr", () => {
  fc.assert(fc.property(userArbitrary, fc.nat(), (user, at) => {
    const r = at % user.k;
    if (r === 0 || user.hits[r] === 0 || user.hits[r - 1] === 1) return;
    const before = { n: ndcg.perUser(user), m: mrr.perUser(user), p: precision.perUser(user) };
    user.hits[r] = 0;
    user.hits[r - 1] = 1;
    assert.ok(ndcg.perUser(user) > before.n);
    assert.ok(mrr.perUser(user) >= before.m);
    assert.equal(precision.perUser(user), before.p, "precision ignores order");
  }));
});
