/** Top-k of the factor models (ials, bpr): kernel scores, exclusion, threads. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { recommendFactors } from "../models/ials/factor_recommend.ts";
import { FactorBlockRanker } from "../models/ials/factor_block_ranker.ts";
import { type FactorScores, scoreOne, sequentialScorer } from "../models/ials/factor_scores.ts";
import { recommendByScores } from "../models/implicit/recommend_by_scores.ts";
import { seededNormalSource } from "../models/svdpp/init.ts";

function model(
  nUsers: number,
  nItems: number,
  f: number,
  seed: number,
  bias: boolean,
): FactorScores {
  const normal = seededNormalSource(seed);
  return {
    factors: f,
    nItems,
    userFactors: normal(0, 1, nUsers * f),
    itemFactors: normal(0, 1, nItems * f),
    itemBias: bias ? normal(0, 1, nItems) : null,
  };
}

Deno.test("the block scorer gives each user the plain dot products (+ bias), bit for bit", () => {
  for (const bias of [false, true]) {
    const m = model(150, 37, 5, 3, bias);
    const users = Int32Array.from({ length: 150 }, (_, k) => (k * 7) % 150);
    const score = sequentialScorer(m, users);
    const out = new Float64Array(37);
    for (const u of users) {
      score(u, out);
      for (let i = 0; i < 37; i++) assert.equal(out[i], scoreOne(m, u, i), `user ${u} item ${i}`);
    }
    assert.throws(() => sequentialScorer(m, users)(users[1], out), /expected/);
  }
});

Deno.test("property: top-k with exclusion and candidates equals a brute-force sort", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 25 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.boolean(),
      fc.boolean(),
      async (nUsers, nItems, k, seed, bias, someCandidates) => {
        const m = model(nUsers, nItems, 3, seed, bias);
        // coarse scores make ties: round every factor to a multiple of 0.5
        for (const a of [m.userFactors, m.itemFactors]) {
          for (let p = 0; p < a.length; p++) a[p] = Math.round(a[p] * 2) / 2;
        }
        const excluded = (u: number, i: number) => (u * 31 + i * 17 + seed) % 4 === 0;
        const offsets = new Int32Array(nUsers + 1);
        const values: number[] = [];
        for (let u = 0; u < nUsers; u++) {
          for (let i = 0; i < nItems; i++) if (excluded(u, i)) values.push(i);
          offsets[u + 1] = values.length;
        }
        const candidates = someCandidates
          ? Int32Array.from({ length: nItems }, (_, i) => i).filter((i) => i % 3 !== 1)
          : null;
        const users = Int32Array.from({ length: nUsers }, (_, u) => nUsers - 1 - u);
        const lists = await recommendFactors(
          "test",
          m,
          { users, k, exclude: { offsets, values: Int32Array.from(values) }, candidates },
          1,
          { progress() {} },
        );
        users.forEach((u, r) => {
          const pool = [...(candidates ?? Array.from({ length: nItems }, (_, i) => i))]
            .filter((i) => !excluded(u, i));
          pool.sort((a, b) => scoreOne(m, u, b) - scoreOne(m, u, a) || a - b);
          const expected = [
            ...pool.slice(0, k),
            ...new Array(Math.max(0, k - pool.length)).fill(-1),
          ];
          assert.deepEqual([...lists.subarray(r * k, r * k + k)], expected, `user ${u}`);
        });
      },
    ),
    { numRuns: 80 },
  );
});

Deno.test("threads 1, 2 and 3 give identical lists", async () => {
  const m = model(3000, 200, 8, 5, true);
  const users = Int32Array.from({ length: 2500 }, (_, k) => (k * 13) % 3000);
  const offsets = Int32Array.from({ length: 3001 }, (_, u) => u * 2);
  const values = Int32Array.from({ length: 6000 }, (_, p) => (p * 7) % 200);
  const request = { users, k: 10, exclude: { offsets, values }, candidates: null };
  const ctx = { progress() {} };
  const one = await recommendFactors("test", m, request, 1, ctx);
  for (const threads of [2, 3]) {
    assert.deepEqual(await recommendFactors("test", m, request, threads, ctx), one);
  }
});

Deno.test("the block ranker's lists equal a per-user score vector's (blocks, slices, ties)", () => {
  for (const bias of [false, true]) {
    // 150 users: two full blocks of 64 and a partial one; 1100 items: three score slices
    const m = model(200, 1100, 6, 9, bias);
    for (const a of [m.userFactors, m.itemFactors]) {
      for (let p = 0; p < a.length; p++) a[p] = Math.round(a[p] * 2) / 2; // ties
    }
    const users = Int32Array.from({ length: 150 }, (_, r) => (r * 37) % 200);
    const offsets = new Int32Array(201);
    const values: number[] = [];
    for (let u = 0; u < 200; u++) {
      // user 5 excludes all but 3 items: its list ends in -1
      for (let i = 0; i < 1100; i++) {
        if (u === 5 ? i >= 3 : (u * 13 + i * 7) % 5 === 0) values.push(i);
      }
      offsets[u + 1] = values.length;
    }
    const request = {
      users,
      k: 8,
      exclude: { offsets, values: Int32Array.from(values) },
      candidates: null,
    };
    const expected = recommendByScores(1100, request, sequentialScorer(m, users));
    const lists = new Int32Array(users.length * 8);
    new FactorBlockRanker(m, request).run(0, users.length, lists);
    assert.deepEqual(lists, expected);
    // a chunk in the middle writes the same lists into its place
    const chunk = new Int32Array(users.length * 8).fill(7);
    new FactorBlockRanker(m, request).run(70, 100, chunk);
    assert.deepEqual(chunk.subarray(70 * 8, 100 * 8), expected.subarray(70 * 8, 100 * 8));
    assert.ok(users.includes(5) && expected.includes(-1));
  }
});
