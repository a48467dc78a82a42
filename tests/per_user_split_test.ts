/** The seeded per-user split: a partition, the right counts per user, deterministic. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { perUserSplit } from "../data/split/per_user.ts";

const users = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 0, maxLength: 200 });

Deno.test("per-user split partitions rows and holds out test then dev per user", () => {
  fc.assert(
    fc.property(
      users,
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      fc.nat(),
      (list, test, dev, seed) => {
        const user = Int32Array.from(list);
        const split = perUserSplit(user, 13, { test, dev, seed });
        const all = [...split.train, ...split.dev, ...split.test].sort((a, b) => a - b);
        assert.deepEqual(all, list.map((_, i) => i), "every row in exactly one part");
        for (let u = 0; u < 13; u++) {
          const size = list.filter((x) => x === u).length;
          const inTest = [...split.test].filter((r) => user[r] === u).length;
          const inDev = [...split.dev].filter((r) => user[r] === u).length;
          assert.equal(inTest, Math.min(test, size));
          assert.equal(inDev, Math.min(dev, size - inTest));
        }
        // Parts list users in dense order.
        for (const part of [split.test, split.dev, split.train]) {
          for (let i = 1; i < part.length; i++) assert.ok(user[part[i - 1]] <= user[part[i]]);
        }
      },
    ),
  );
});

Deno.test("per-user split is a function of the seed", () => {
  const user = Int32Array.from({ length: 500 }, (_, i) => i % 7);
  const a = perUserSplit(user, 7, { test: 1, dev: 1, seed: 1 });
  const b = perUserSplit(user, 7, { test: 1, dev: 1, seed: 1 });
  const c = perUserSplit(user, 7, { test: 1, dev: 1, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.test, c.test);
});
