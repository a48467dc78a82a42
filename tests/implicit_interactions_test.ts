/** The binary interaction matrix the top-N baselines share, against a brute-force build. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { interactions } from "../models/implicit/interactions.ts";
import { recommendByScores } from "../models/implicit/recommend_by_scores.ts";
import { trainData } from "./linear_helpers.ts";

Deno.test("property: X by user and by item is the deduplicated, thresholded set of pairs", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 7 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 10 })), { maxLength: 40 }),
      fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
      (nUsers, nItems, raw, threshold) => {
        const rows = raw.map(([u, i, r]) =>
          [u % nUsers, i % nItems, r] as [number, number, number]
        );
        const x = interactions(trainData(rows, nUsers, nItems), threshold);
        const pairs = new Set(
          rows.filter((r) => threshold === null || r[2] >= threshold).map((r) => `${r[0]},${r[1]}`),
        );
        for (let u = 0; u < nUsers; u++) {
          const items = [...x.userItems.subarray(x.userOffsets[u], x.userOffsets[u + 1])];
          const expected = [...Array(nItems).keys()].filter((i) => pairs.has(`${u},${i}`));
          assert.deepEqual(items, expected);
          assert.equal(x.userCounts[u], expected.length);
        }
        for (let i = 0; i < nItems; i++) {
          const users = [...x.itemUsers.subarray(x.itemOffsets[i], x.itemOffsets[i + 1])];
          const expected = [...Array(nUsers).keys()].filter((u) => pairs.has(`${u},${i}`));
          assert.deepEqual(users, expected);
          assert.equal(x.itemCounts[i], expected.length);
        }
      },
    ),
  );
});

Deno.test("property: recommendByScores is a brute-force sort minus excluded items, ties to the lower index", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 6 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 12, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 5 }),
      fc.boolean(),
      (nItems, k, rawScores, rawExcluded, useCandidates) => {
        const excluded = [...new Set(rawExcluded.map((i) => i % nItems))];
        const candidates = useCandidates
          ? Int32Array.from({ length: nItems }, (_, i) => i).filter((i) => i % 3 !== 1)
          : null;
        const out = recommendByScores(
          nItems,
          {
            users: Int32Array.of(0),
            k,
            exclude: {
              offsets: Int32Array.of(0, excluded.length),
              values: Int32Array.from(excluded),
            },
            candidates,
          },
          (_u, scores) => {
            for (let i = 0; i < nItems; i++) scores[i] = rawScores[i];
          },
        );
        const pool = [...(candidates ?? Array.from({ length: nItems }, (_, i) => i))]
          .filter((i) => !excluded.includes(i))
          .sort((a, b) => rawScores[b] - rawScores[a] || a - b)
          .slice(0, k);
        const expected = [...pool, ...Array(k - pool.length).fill(-1)];
        assert.deepEqual([...out], expected);
      },
    ),
  );
});
