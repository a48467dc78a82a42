/** selectTopK equals a full sort by (score desc, index asc), with and without candidates. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { selectTopK } from "../models/top_k.ts";

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
