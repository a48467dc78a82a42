/** The random floor: seeded, distinct, candidates only, excluded items skipped. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { random, randomLists } from "../models/random.ts";
import { dataOfPairs, recordingContext } from "./knn_helpers.ts";

Deno.test("property: k distinct allowed items per user, or all of them then -1", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 15 }),
      fc.array(fc.array(fc.nat(14), { maxLength: 10 }), { minLength: 1, maxLength: 5 }),
      fc.option(fc.array(fc.nat(14), { maxLength: 12 }), { nil: null }),
      fc.integer({ min: 1, max: 18 }),
      fc.nat(),
      (nItems, seenLists, rawCandidates, k, seed) => {
        const seen = seenLists.map((list) => [...new Set(list.filter((i) => i < nItems))]);
        const offsets = [0];
        for (const list of seen) offsets.push(offsets.at(-1)! + list.length);
        const candidates = rawCandidates === null
          ? null
          : Int32Array.from(rawCandidates.filter((i) => i < nItems));
        const users = Int32Array.from(seen.keys());
        const out = randomLists(seed, nItems, {
          users,
          k,
          exclude: { offsets: Int32Array.from(offsets), values: Int32Array.from(seen.flat()) },
          candidates,
        });
        users.forEach((u, r) => {
          const list = [...out.subarray(r * k, (r + 1) * k)];
          const allowed = [...new Set(candidates ?? Array.from({ length: nItems }, (_, i) => i))]
            .filter((i) => !seen[u].includes(i));
          const listed = list.filter((i) => i >= 0);
          assert.equal(listed.length, Math.min(k, allowed.length));
          assert.equal(new Set(listed).size, listed.length);
          for (const i of listed) assert.ok(allowed.includes(i));
          // -1 only after the listed items
          assert.deepEqual(list.slice(listed.length), list.slice(listed.length).map(() => -1));
        });
      },
    ),
  );
});

Deno.test("a user's list depends on the seed and the user only, not on who else is asked", () => {
  const all = randomLists(7, 50, {
    users: Int32Array.of(0, 1, 2, 3),
    k: 5,
    exclude: null,
    candidates: null,
  });
  const alone = randomLists(7, 50, {
    users: Int32Array.of(2),
    k: 5,
    exclude: null,
    candidates: null,
  });
  assert.deepEqual([...alone], [...all.subarray(10, 15)]);
  const again = randomLists(7, 50, {
    users: Int32Array.of(0, 1, 2, 3),
    k: 5,
    exclude: null,
    candidates: null,
  });
  assert.deepEqual(again, all);
  const other = randomLists(8, 50, {
    users: Int32Array.of(0, 1, 2, 3),
    k: 5,
    exclude: null,
    candidates: null,
  });
  assert.notDeepEqual(other, all);
  assert.notDeepEqual([...all.subarray(0, 5)], [...all.subarray(5, 10)]);
});

Deno.test("every item is about equally likely first (chi-square over 20,000 users)", () => {
  const nItems = 10;
  const users = Int32Array.from({ length: 20_000 }, (_, u) => u);
  const first = randomLists(3, nItems, { users, k: 1, exclude: null, candidates: null });
  const counts = new Array(nItems).fill(0);
  for (const item of first) counts[item]++;
  const expected = users.length / nItems;
  const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  // 9 degrees of freedom: P(chi2 > 27.9) = 0.001
  assert.ok(chi2 < 27.9, `chi-square ${chi2.toFixed(1)} for counts ${counts}`);
});

Deno.test("fit stores the train step's seed; recommend uses it", async () => {
  const data = dataOfPairs([0, 1], [0, 1], 2, 30);
  const config = random.config.parse({});
  const params = await random.fit(config, data, recordingContext(99));
  assert.deepEqual(params, { seed: Uint32Array.of(99) });
  const request = { users: Int32Array.of(0, 1), k: 4, exclude: null, candidates: null };
  const lists = await random.recommend!(config, params, data, request, recordingContext(5));
  assert.deepEqual(lists, randomLists(99, 30, request));
});
