/** selectTopK equals a full sort by (score desc, index asc), with and without candidates. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { selectTopK, TopK } from "../models/top_k.ts";

function bruteForce(scores: number[], k: number, candidates: number[] | null): number[] {
  const items = candidates ?? scores.map((_, i) => i);
  return [...items].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
}

Deno.test("top-k matches a brute-force sort, ties to the lower index", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 60 }),
      fc.integer({ min: 0, max: 70 }),
      fc.boolean(),
      (scores, k, useCandidates) => {
        const candidates = useCandidates
          ? scores.map((_, i) => i).filter((i) => i % 3 !== 1)
          : null;
        const got = selectTopK(
          Float64Array.from(scores),
          k,
          candidates ? Int32Array.from(candidates) : null,
        );
        assert.deepEqual(Array.from(got), bruteForce(scores, k, candidates));
      },
    ),
  );
});

Deno.test("TopK: any offer order, any k, reusable after reset; the floor never rejects a winner", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(fc.nat(80), fc.integer({ min: -3, max: 3 })), {
        selector: ([key]) => key,
        maxLength: 60,
      }),
      fc.integer({ min: 0, max: 70 }),
      (offers, k) => {
        const top = new TopK(k);
        for (let round = 0; round < 2; round++) {
          top.reset();
          const order = round === 0 ? offers : [...offers].reverse();
          for (const [key, score] of order) {
            if (score >= top.floor) top.offer(score, key);
          }
          const out = new Int32Array(k);
          top.writeTo(out, 0);
          const expected = [...offers].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)
            .map(([key]) => key);
          while (expected.length < k) expected.push(-1);
          assert.deepEqual([...out], expected);
        }
      },
    ),
  );
});
