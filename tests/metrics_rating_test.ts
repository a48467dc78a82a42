/** RMSE, MAE, R² and evaluateRating. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { evaluateRating } from "../metrics/evaluate_rating.ts";
import { metricOfKind, ratingMetricNames } from "../metrics/registry.ts";

const f64 = (values: number[]) => Float64Array.from(values);

Deno.test("hand-worked: errors -1, 0, 2", () => {
  const predicted = f64([3, 5, 8]);
  const truth = f64([4, 5, 6]);
  const result = evaluateRating(predicted, truth, ["rmse", "mae", "r2"]);
  // squared errors 1, 0, 4 -> mean 5/3; absolute 1, 0, 2 -> mean 1
  assert.equal(result.rmse, Math.sqrt(5 / 3));
  assert.equal(result.mae, 1);
  // mean truth 5: SS_tot = 1 + 0 + 1 = 2, SS_res = 5 -> 1 - 5/2
  assert.equal(result.r2, -1.5);
  assert.deepEqual([...metricOfKind("rmse", "rating").perRow!(predicted, truth)], [1, 0, 4]);
  assert.deepEqual([...metricOfKind("mae", "rating").perRow!(predicted, truth)], [1, 0, 2]);
});

Deno.test("undefined cases are NaN: no rows, r2 of constant truths", () => {
  const empty = evaluateRating(f64([]), f64([]), ["rmse", "mae", "r2"]);
  assert.ok(Number.isNaN(empty.rmse) && Number.isNaN(empty.mae) && Number.isNaN(empty.r2));
  assert.ok(Number.isNaN(evaluateRating(f64([6, 8]), f64([7, 7]), ["r2"]).r2));
});

Deno.test("bad input: unknown name lists the valid ones; lengths and NaN are checked", () => {
  assert.throws(
    () => evaluateRating(f64([1]), f64([1]), ["rmse", "mse"]),
    new RegExp(`unknown metric "mse".*${ratingMetricNames().join(", ")}`),
  );
  // a key every object inherits is still not a metric
  assert.throws(() => evaluateRating(f64([1]), f64([1]), ["toString"]), /unknown metric/);
  assert.throws(() => evaluateRating(f64([1, 2]), f64([1]), ["mae"]), /2 predictions but 1 true/);
  assert.throws(
    () => evaluateRating(f64([1, NaN]), f64([1, 2]), ["mae"]),
    /predictions\[1\] is NaN/,
  );
});

const pairs = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(
    fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
    fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
  )
);

Deno.test("property: rmse >= mae >= 0, rmse is 0 iff exact, r2 <= 1", () => {
  fc.assert(fc.property(pairs, ([p, t]) => {
    const r = evaluateRating(f64(p), f64(t), ["rmse", "mae", "r2"]);
    assert.ok(r.rmse >= r.mae - 1e-12 && r.mae >= 0);
    assert.equal(r.rmse === 0, p.every((v, i) => v === t[i]));
    assert.equal(evaluateRating(f64(t), f64(t), ["rmse"]).rmse, 0);
    if (!Number.isNaN(r.r2)) assert.ok(r.r2 <= 1);
  }));
});
