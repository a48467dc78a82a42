/** The numbers behind the report charts: hand-worked cases and properties. */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  concentrationCurve,
  evenSample,
  histogram,
  metricRange,
  popularityBands,
  popularityOrder,
} from "../runners/report/chart_data.ts";

function assertAlmostEquals(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} != ${expected}`);
}

const counts = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 200 });

Deno.test("histogram: hand-worked bins, the top edge in the last bin, NaN counted apart", () => {
  const h = histogram(Float64Array.of(0, 0.1, 0.25, 0.5, 0.99, 1, NaN, NaN), 0, 1, 4);
  assert.deepStrictEqual([...h.lower], [0, 0.25, 0.5, 0.75]);
  assert.deepStrictEqual(h.width, 0.25);
  assert.deepStrictEqual([...h.counts], [2, 1, 1, 2]);
  assert.deepStrictEqual(h.missing, 2);
  assert.throws(() => histogram([1], 1, 1, 4), /bad range/);
});

Deno.test("histogram: every finite value lands in exactly one bin (property)", () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(NaN))),
    fc.integer({ min: 1, max: 30 }),
    (values, bins) => {
      const h = histogram(values, -5, 5, bins);
      const finite = values.filter((v) => !Number.isNaN(v)).length;
      assert.deepStrictEqual(h.counts.reduce((a, b) => a + b, 0), finite);
      assert.deepStrictEqual(h.missing, values.length - finite);
    },
  ));
});

Deno.test("metricRange: [0,1] for rates, [0,100] for percentiles, else the data's span", () => {
  assert.deepStrictEqual(metricRange([Float64Array.of(0, 0.5, NaN), Float64Array.of(1)]), [0, 1]);
  assert.deepStrictEqual(metricRange([Float64Array.of(3, 97.5)]), [0, 100]);
  assert.deepStrictEqual(metricRange([Float64Array.of(-2, 7)]), [-2, 7]);
  assert.deepStrictEqual(metricRange([Float64Array.of(250, 250)]), [249.5, 250.5]);
  assert.deepStrictEqual(metricRange([Float64Array.of(NaN)]), [0, 1]);
});

Deno.test("popularityBands: hand-worked case (4 items, 2 bands)", () => {
  // popularity order: item 2 (50), item 0 (30), item 3 (15), item 1 (5)
  const bands = popularityBands([30, 5, 50, 15], [6, 0, 2, 2], 2);
  assert.deepStrictEqual([...bands.items], [2, 2]);
  assertAlmostEquals(bands.trainShare[0], 80); // (50 + 30) / 100
  assertAlmostEquals(bands.trainShare[1], 20);
  assertAlmostEquals(bands.recommendedShare[0], 80); // (2 + 6) / 10
  assertAlmostEquals(bands.recommendedShare[1], 20);
});

Deno.test("popularityBands: shares sum to 100, items to the catalogue, per-item share falls (property)", () => {
  fc.assert(fc.property(counts, fc.integer({ min: 1, max: 10 }), (train, bandCount) => {
    const recommended = train.map((c, i) => (c * 7 + i) % 13);
    const bands = popularityBands(train, recommended, bandCount);
    assert.deepStrictEqual(bands.items.reduce((a, b) => a + b, 0), train.length);
    const trainTotal = train.reduce((a, b) => a + b, 0);
    if (trainTotal > 0) assertAlmostEquals(bands.trainShare.reduce((a, b) => a + b, 0), 100, 1e-9);
    for (let b = 1; b < bandCount; b++) {
      if (bands.items[b] === 0 || bands.items[b - 1] === 0) continue;
      const before = bands.trainShare[b - 1] / bands.items[b - 1];
      const after = bands.trainShare[b] / bands.items[b];
      if (after > before + 1e-9) throw new Error(`band ${b} has more ratings per item`);
    }
  }));
});

Deno.test("concentrationCurve: from 0 to 100, non-decreasing, ratings curve above the diagonal (property)", () => {
  fc.assert(fc.property(counts, (train) => {
    const recommended = train.map((c) => c % 5);
    const curve = concentrationCurve(train, recommended, 50);
    const last = curve.catalogueShare.length - 1;
    assert.deepStrictEqual(curve.catalogueShare[0], 0);
    assert.deepStrictEqual(curve.catalogueShare[last], 100);
    assert.deepStrictEqual(curve.trainShare[0], 0);
    if (train.some((c) => c > 0)) assertAlmostEquals(curve.trainShare[last], 100, 1e-9);
    for (let s = 1; s <= last; s++) {
      if (curve.trainShare[s] < curve.trainShare[s - 1]) throw new Error("train curve falls");
      if (curve.recommendedShare[s] < curve.recommendedShare[s - 1]) {
        throw new Error("recommendation curve falls");
      }
      // Items come most popular first, so the ratings curve is concave: never below y = x.
      if (train.some((c) => c > 0) && curve.trainShare[s] < curve.catalogueShare[s] - 1e-9) {
        throw new Error(`ratings curve below the diagonal at ${curve.catalogueShare[s]}%`);
      }
    }
  }));
});

Deno.test("popularityOrder: most popular first, ties in catalogue order", () => {
  assert.deepStrictEqual([...popularityOrder([3, 9, 3, 1, 9])], [1, 4, 0, 2, 3]);
});

Deno.test("evenSample: all indexes when few, evenly spread and increasing when many", () => {
  assert.deepStrictEqual([...evenSample(4, 10)], [0, 1, 2, 3]);
  assert.deepStrictEqual([...evenSample(10, 5)], [0, 2, 4, 6, 8]);
  assert.deepStrictEqual(evenSample(100_000, 3000).length, 3000);
});
