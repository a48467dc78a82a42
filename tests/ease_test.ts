/**
 * EASE against the test's own dense solve (Gauss-Jordan), the `items` cap (most popular,
 * ties to the lower index), and exclude-seen top-k against brute force.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { seededRandom } from "../data/rng/seeded.ts";
import { ease, easeConfigSchema } from "../models/ease/mod.ts";
import { mostPopular } from "../models/ease/item_cap.ts";
import { blockScorer, scoringMemory } from "../models/ease/scoring.ts";
import type { RecommendRequest } from "../models/model.ts";
import { POOL_MIN_USERS } from "../models/worker_pool.ts";
import {
  bruteTopK,
  denseX,
  gaussJordanInverse,
  gram,
  quietContext,
  randomRows,
  seenItems,
  trainData,
} from "./linear_helpers.ts";

/** B = I - P diag(1/diag P) from the dense reference, and scores X . B. */
function referenceEase(
  rows: Array<[number, number, number]>,
  nUsers: number,
  nItems: number,
  lambda: number,
) {
  const x = denseX(rows, nUsers, nItems);
  const p = gaussJordanInverse(gram(x, nUsers, nItems, lambda), nItems);
  const b = new Float64Array(nItems * nItems);
  for (let i = 0; i < nItems; i++) {
    for (let j = 0; j < nItems; j++) {
      b[i * nItems + j] = i === j ? 0 : -p[i * nItems + j] / p[j * nItems + j];
    }
  }
  const scores = new Float64Array(nUsers * nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (!x[u * nItems + i]) continue;
      for (let j = 0; j < nItems; j++) scores[u * nItems + j] += b[i * nItems + j];
    }
  }
  return { b, scores };
}

function request(
  nUsers: number,
  k: number,
  exclude: RecommendRequest["exclude"],
): RecommendRequest {
  return { users: Int32Array.from({ length: nUsers }, (_, u) => u), k, exclude, candidates: null };
}

Deno.test("EASE on a toy matrix equals a direct dense solve (B and the top-k)", async () => {
  // 5 users x 4 items, worked small enough to check by hand against the solve
  const rows: Array<[number, number, number]> = [
    [0, 0, 5],
    [0, 1, 5],
    [1, 1, 5],
    [1, 2, 5],
    [2, 0, 5],
    [2, 2, 5],
    [2, 3, 5],
    [3, 3, 5],
    [4, 0, 5],
    [4, 1, 5],
    [4, 3, 5],
  ];
  const data = trainData(rows, 5, 4);
  for (const precision of ["float64", "float32"] as const) {
    const config = easeConfigSchema.parse({ lambda: 2, precision });
    const params = await ease.fit(config, data, quietContext);
    const { b } = referenceEase(rows, 5, 4, 2);
    const weights = params.weights as Float64Array;
    const tolerance = precision === "float64" ? 1e-12 : 1e-6;
    for (let e = 0; e < 16; e++) assert.ok(Math.abs(weights[e] - b[e]) < tolerance, `B[${e}]`);
    for (let i = 0; i < 4; i++) assert.equal(weights[i * 4 + i], 0);
    const seen = seenItems(rows, 5);
    const exclude = { offsets: seen.offsets, values: seen.values };
    const lists = await ease.recommend!(config, params, data, request(5, 2, exclude), quietContext);
    const { scores } = referenceEase(rows, 5, 4, 2);
    for (let u = 0; u < 5; u++) {
      const expected = bruteTopK(scores.subarray(u * 4, u * 4 + 4), 2, (i) => !seen.sets[u].has(i));
      while (expected.length < 2) expected.push(-1);
      assert.deepEqual([...lists.subarray(u * 2, u * 2 + 2)], expected, `user ${u}`);
    }
  }
});

Deno.test("property: EASE exclude-seen top-k equals brute force over the dense reference", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 1e6 }),
      fc.double({ min: 0.5, max: 50, noNaN: true }),
      fc.integer({ min: 1, max: 8 }),
      async (nUsers, nItems, seed, lambda, k) => {
        const rows = randomRows(nUsers, nItems, 0.3, seededRandom(seed));
        const data = trainData(rows, nUsers, nItems);
        const config = easeConfigSchema.parse({ lambda });
        const params = await ease.fit(config, data, quietContext);
        const seen = seenItems(rows, nUsers);
        const exclude = { offsets: seen.offsets, values: seen.values };
        const lists = await ease.recommend!(
          config,
          params,
          data,
          request(nUsers, k, exclude),
          quietContext,
        );
        const { scores } = referenceEase(rows, nUsers, nItems, lambda);
        for (let u = 0; u < nUsers; u++) {
          // round so that rounding noise cannot reorder near-equal scores
          const rounded = Array.from(
            scores.subarray(u * nItems, (u + 1) * nItems),
            (s) => Math.round(s * 1e9) / 1e9,
          );
          const expected = bruteTopK(rounded, k, (i) => !seen.sets[u].has(i));
          const got = [...lists.subarray(u * k, (u + 1) * k)].filter((i) => i >= 0);
          assert.deepEqual(got.map((i) => rounded[i]), expected.map((i) => rounded[i]));
          assert.ok(got.every((i) => !seen.sets[u].has(i)), "no seen item");
          assert.equal(got.length, expected.length);
        }
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("property: the items cap keeps exactly the most popular, ties to the lower index", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
      fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
      (counts, cap) => {
        const kept = [...mostPopular(Int32Array.from(counts), cap)];
        const n = counts.length;
        const keep = cap === null ? n : Math.min(cap, n);
        assert.equal(kept.length, keep);
        assert.deepEqual(kept, [...kept].sort((a, b) => a - b), "ascending");
        // every kept item beats every dropped one: more interactions, or as many and lower
        const set = new Set(kept);
        for (const i of kept) {
          for (let j = 0; j < n; j++) {
            if (set.has(j)) continue;
            assert.ok(counts[i] > counts[j] || (counts[i] === counts[j] && i < j), `${i} vs ${j}`);
          }
        }
      },
    ),
  );
});

Deno.test("EASE with an items cap fits the capped matrix and never recommends other items", async () => {
  const nUsers = 9;
  const nItems = 12;
  const rows = randomRows(nUsers, nItems, 0.45, seededRandom("cap"));
  const data = trainData(rows, nUsers, nItems);
  const config = easeConfigSchema.parse({ lambda: 3, items: 5 });
  const counts = new Int32Array(nItems);
  for (const [, i] of rows) counts[i]++;
  const kept = [...mostPopular(counts, 5)];
  const params = await ease.fit(config, data, quietContext);
  assert.deepEqual([...(params.items as Int32Array)], kept);
  // the reference: EASE on the columns of the kept items only
  const capped = rows.filter(([, i]) => kept.includes(i)).map(([u, i, r]) =>
    [u, kept.indexOf(i), r] as [number, number, number]
  );
  const { b } = referenceEase(capped, nUsers, 5, 3);
  const weights = params.weights as Float64Array;
  for (let e = 0; e < 25; e++) assert.ok(Math.abs(weights[e] - b[e]) < 1e-12);
  const lists = await ease.recommend!(
    config,
    params,
    data,
    request(nUsers, 12, null),
    quietContext,
  );
  for (const item of lists) assert.ok(item === -1 || kept.includes(item), `item ${item}`);
  // without exclusion every user gets exactly the 5 kept items, then -1
  for (let u = 0; u < nUsers; u++) {
    assert.deepEqual([...lists.subarray(u * 12 + 5, u * 12 + 12)], new Array(7).fill(-1));
  }
});

Deno.test("EASE with 2 threads and float32 gives the weights and lists of 1 thread", async () => {
  // enough users for recommend's worker pool (POOL_MIN_USERS)
  const [nUsers, nItems] = [POOL_MIN_USERS + 76, 170];
  const rows = randomRows(nUsers, nItems, 0.1, seededRandom("threads"));
  const data = trainData(rows, nUsers, nItems);
  const one = easeConfigSchema.parse({ lambda: 10, precision: "float32", items: 150 });
  const two = easeConfigSchema.parse({ lambda: 10, precision: "float32", items: 150, threads: 2 });
  const a = await ease.fit(one, data, quietContext);
  const b = await ease.fit(two, data, quietContext);
  assert.deepEqual(b.weights, a.weights);
  const seen = seenItems(rows, nUsers);
  const req = request(nUsers, 10, { offsets: seen.offsets, values: seen.values });
  const listsOne = await ease.recommend!(one, a, data, req, quietContext);
  const listsTwo = await ease.recommend!(two, a, data, req, quietContext);
  assert.deepEqual(listsTwo, listsOne);
});

Deno.test("the row-sum kernel: wasm equals the JavaScript fallback bit for bit", () => {
  for (const precision of ["float32", "float64"] as const) {
    const m = 70;
    const random = seededRandom(precision);
    const values = Array.from({ length: m * m }, () => random() - 0.5);
    const weights = precision === "float32" ? Float32Array.from(values) : Float64Array.from(values);
    const mem = scoringMemory(weights, m, 1, false);
    const kept = Int32Array.from({ length: m }, (_, i) => i);
    // 300 users (three blocks), each with a few random items
    const offsets = [0];
    const items: number[] = [];
    for (let u = 0; u < 300; u++) {
      const own = [...new Set(Array.from({ length: u % 7 }, () => Math.floor(random() * m)))];
      items.push(...own.sort((p, q) => p - q));
      offsets.push(items.length);
    }
    const x = { userOffsets: Int32Array.from(offsets), userItems: Int32Array.from(items) };
    const users = Int32Array.from({ length: 300 }, (_, u) => (u * 7) % 300);
    const wasm = blockScorer(mem, 0, kept, x, users);
    const js = blockScorer(mem, 0, kept, x, users, "js");
    for (const u of users) {
      const [a, b] = [new Float64Array(m), new Float64Array(m)];
      wasm(u, a);
      js(u, b);
      assert.deepEqual(a, b);
      for (const j of [0, 7, m - 1]) {
        let sum = 0;
        for (let p = offsets[u]; p < offsets[u + 1]; p++) sum += weights[items[p] * m + j];
        assert.ok(Math.abs(a[j] - sum) < 1e-5, `user ${u} column ${j}`);
      }
    }
  }
});

Deno.test("recommend scores on the memory of the fit's inverse, B in place; a copy scores the same", async () => {
  const [nUsers, nItems] = [200, 90];
  const rows = randomRows(nUsers, nItems, 0.1, seededRandom("memory"));
  const data = trainData(rows, nUsers, nItems);
  for (const threads of [1, 2]) {
    const config = easeConfigSchema.parse({ lambda: 10, precision: "float32", threads });
    const fitted = await ease.fit(config, data, quietContext);
    const weights = fitted.weights as Float32Array;
    const m = (fitted.items as Int32Array).length;
    const own = scoringMemory(weights, m, threads, threads > 1);
    assert.equal(own.memory.buffer, weights.buffer, "no copy of the fit's weights");
    assert.equal(scoringMemory(weights, m, threads, threads > 1), own);
    // more slots than the fit's memory has room for: a copy
    assert.ok(own.slots >= threads);
    assert.notEqual(scoringMemory(weights, m, own.slots + 1, threads > 1).memory, own.memory);
    const copied = { items: fitted.items, weights: weights.slice() };
    assert.notEqual(scoringMemory(copied.weights, m, threads, threads > 1).memory, own.memory);
    const seen = seenItems(rows, nUsers);
    const req = request(nUsers, 10, { offsets: seen.offsets, values: seen.values });
    assert.deepEqual(
      await ease.recommend!(config, fitted, data, req, quietContext),
      await ease.recommend!(config, copied, data, req, quietContext),
    );
  }
});
