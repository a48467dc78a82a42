/** Popularity percentiles, novelty and catalogue coverage. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { catalogueCoverage } from "../metrics/beyond/coverage.ts";
import { selfInformation } from "../metrics/beyond/novelty.ts";
import { popularityPercentiles } from "../metrics/beyond/popularity.ts";

Deno.test("popularity percentile: share of items with a count <= the item's, ties share the top", () => {
  // sorted counts 0, 1, 5, 5: count 5 -> 4/4, count 1 -> 2/4, count 0 -> 1/4
  assert.deepEqual([...popularityPercentiles(Int32Array.from([5, 5, 1, 0]))], [100, 100, 50, 25]);
  assert.deepEqual([...popularityPercentiles(Int32Array.from([3, 3, 3]))], [100, 100, 100]);
  // sorted 0, 0, 2, 7, 9: 0 -> 2/5, 2 -> 3/5, 7 -> 4/5, 9 -> 5/5
  assert.deepEqual([...popularityPercentiles(Int32Array.from([7, 0, 9, 2, 0]))], [
    80,
    40,
    100,
    60,
    40,
  ]);
});

Deno.test("property: percentiles are in (0, 100], 100 at the maximum, and follow the counts", () => {
  fc.assert(fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 60 }), (raw) => {
    const counts = Int32Array.from(raw);
    const p = popularityPercentiles(counts);
    const max = Math.max(...raw);
    for (let i = 0; i < counts.length; i++) {
      assert.ok(p[i] > 0 && p[i] <= 100);
      if (counts[i] === max) assert.equal(p[i], 100);
      const atMost = raw.filter((c) => c <= counts[i]).length;
      assert.equal(p[i], (100 * atMost) / raw.length, "definition, counted naively");
      for (let j = 0; j < counts.length; j++) {
        if (counts[i] < counts[j]) assert.ok(p[i] < p[j]);
        if (counts[i] === counts[j]) assert.equal(p[i], p[j]);
      }
    }
  }));
});

Deno.test("novelty: -log2(count / trainUsers), counts clamped to 1..trainUsers", () => {
  // 8/16 -> 1 bit, 2/16 -> 3 bits, 0 counts as 1: 1/16 -> 4 bits, 20 clamps to 16 -> 0 bits
  assert.deepEqual([...selfInformation(Int32Array.from([8, 2, 0, 20]), 16)], [1, 3, 4, 0]);
});

Deno.test("coverage: distinct items of included rows within the cutoff", () => {
  // rows of 3; row 1 is excluded; padding ends row 2
  const items = Int32Array.from([1, 2, 3, 7, 8, 9, 2, 4, -1]);
  const included = Uint8Array.from([1, 0, 1]);
  const lists = { items, rowLength: 3, included };
  assert.equal(catalogueCoverage(lists, 1, 10), 0.2, "{1, 2} / 10");
  assert.equal(catalogueCoverage(lists, 2, 10), 0.3, "{1, 2, 4} / 10");
  assert.equal(catalogueCoverage(lists, 3, 10), 0.4, "{1, 2, 3, 4} / 10");
});

Deno.test("property: coverage is in [0, 1] and grows with k", () => {
  const nItems = 12;
  const row = fc.uniqueArray(fc.nat({ max: nItems - 1 }), { maxLength: 6 }).map((
    r,
  ) => [...r, ...Array(6 - r.length).fill(-1)]);
  fc.assert(fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
    const lists = {
      items: Int32Array.from(rows.flat()),
      rowLength: 6,
      included: new Uint8Array(rows.length).fill(1),
    };
    let previous = 0;
    for (let k = 1; k <= 6; k++) {
      const c = catalogueCoverage(lists, k, nItems);
      assert.ok(c >= previous && c <= 1, `coverage@${k} = ${c}`);
      previous = c;
    }
    assert.equal(previous, new Set(rows.flat().filter((i) => i >= 0)).size / nItems);
  }));
});
