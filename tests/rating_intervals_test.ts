/**
 * Rating metrics' intervals resample users: the per-user sums path (rmse, mae) and the row
 * path (r2, metrics without `fromSums`) against a brute-force user bootstrap.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../data/rng/seeded.ts";
import { metricOfKind } from "../metrics/registry.ts";
import type { RatingMetric } from "../metrics/rating/rating_metric.ts";
import { percentileInterval, ResampleDraws } from "../runners/uncertainty/bootstrap.ts";
import { ratingIntervals, rowsByUser } from "../runners/uncertainty/rating_intervals.ts";

const f64 = (values: number[]) => Float64Array.from(values);
const rating = (name: string) => metricOfKind(name, "rating");

Deno.test("rows by user: units in order of first row, rows in input order", () => {
  const groups = rowsByUser(Int32Array.from([7, 3, 7, 9, 3, 7]));
  assert.deepEqual([...groups.offsets], [0, 3, 5, 6]);
  assert.deepEqual([...groups.order], [0, 2, 5, 1, 4, 3]);
});

/** The interval of `metric` recomputed on every brute-force resample of users. */
function bruteForce(
  user: Int32Array,
  predicted: Float64Array,
  truth: Float64Array,
  metric: RatingMetric,
  resamples: number,
  seed: number,
) {
  const units = [...new Set(user)];
  const draws = new ResampleDraws(seed);
  const statistics = Array.from({ length: resamples }, () => {
    const drawn = units.map(() => units[draws.index(units.length)]);
    const rows = drawn.flatMap((u) => [...user.keys()].filter((r) => user[r] === u));
    return metric.compute(f64(rows.map((r) => predicted[r])), f64(rows.map((r) => truth[r])));
  });
  return percentileInterval(f64(statistics));
}

function randomPart(users: number, seed: number) {
  const random = seededRandom(seed);
  const user = Int32Array.from({ length: users * 3 }, () => Math.floor(random() * users));
  const truth = Float64Array.from(user, () => 1 + Math.floor(random() * 10));
  const predicted = Float64Array.from(truth, (t) => t + 3 * (random() - 0.5));
  return { user, truth, predicted };
}

Deno.test("several rows per user: every metric equals a brute-force user bootstrap", () => {
  const { user, truth, predicted } = randomPart(40, 3);
  const metrics = ["rmse", "mae", "r2"].map(rating);
  const fast = ratingIntervals(predicted, truth, rowsByUser(user), metrics, {
    resamples: 60,
    seed: 5,
  });
  for (let m = 0; m < metrics.length; m++) {
    const slow = bruteForce(user, predicted, truth, metrics[m], 60, 5);
    assert.ok(Math.abs(fast[m][0] - slow[0]) < 1e-12, `${metrics[m].name} ${fast[m]} ${slow}`);
    assert.ok(Math.abs(fast[m][1] - slow[1]) < 1e-12, `${metrics[m].name} ${fast[m]} ${slow}`);
  }
});

Deno.test("the sums hook and the row path agree (the hook only changes how it is summed)", () => {
  const { user, truth, predicted } = randomPart(25, 8);
  const withoutHook = (name: string): RatingMetric => ({ ...rating(name), fromSums: undefined });
  const options = { resamples: 80, seed: 2 };
  const groups = rowsByUser(user);
  const hooked = ratingIntervals(
    predicted,
    truth,
    groups,
    [rating("rmse"), rating("mae"), rating("r2")],
    options,
  );
  const walked = ratingIntervals(
    predicted,
    truth,
    groups,
    [withoutHook("rmse"), withoutHook("mae"), withoutHook("r2")],
    options,
  );
  for (let m = 0; m < 3; m++) {
    for (let b = 0; b < 2; b++) assert.ok(Math.abs(hooked[m][b] - walked[m][b]) < 1e-12);
  }
  assert.ok(hooked[0][0] < hooked[0][1], "a real interval");
});

Deno.test("one row per user: the rows are the units, as a row bootstrap draws them", () => {
  const errors = f64([0.5, -1, 2, 0, 1.5, -0.5, 3]);
  const truth = f64([5, 6, 7, 8, 9, 4, 3]);
  const predicted = truth.map((t, i) => t + errors[i]);
  const user = Int32Array.from([4, 0, 6, 2, 5, 1, 3]);
  const [fast] = ratingIntervals(predicted, truth, rowsByUser(user), [rating("rmse")], {
    resamples: 50,
    seed: 11,
  });
  const draws = new ResampleDraws(11);
  const stats = Array.from({ length: 50 }, () => {
    const rows = Array.from(errors, () => draws.index(7));
    return Math.sqrt(rows.reduce((a, r) => a + errors[r] ** 2, 0) / rows.length);
  });
  const slow = percentileInterval(f64(stats));
  assert.ok(Math.abs(fast[0] - slow[0]) < 1e-12 && Math.abs(fast[1] - slow[1]) < 1e-12);
});

Deno.test("no rows: NaN bounds; the hooks give NaN for no rows", () => {
  const empty = ratingIntervals(f64([]), f64([]), rowsByUser(new Int32Array(0)), [
    rating("rmse"),
    rating("r2"),
  ], { resamples: 5, seed: 1 });
  assert.ok(empty.flat().every(Number.isNaN));
  const none = {
    count: 0,
    squaredError: 0,
    absoluteError: 0,
    shiftedTruth: 0,
    shiftedTruthSquared: 0,
  };
  assert.ok(Number.isNaN(rating("rmse").fromSums!(none)));
  assert.ok(Number.isNaN(rating("mae").fromSums!(none)));
  assert.ok(Number.isNaN(rating("r2").fromSums!(none)));
});

Deno.test("r2 from sums: equal truths have no spread (NaN, as compute says), else compute's value", () => {
  const r2 = rating("r2");
  const sumsOf = (predicted: number[], truth: number[]) => {
    const shift = truth[0];
    return {
      count: truth.length,
      squaredError: truth.reduce((a, t, i) => a + (predicted[i] - t) ** 2, 0),
      absoluteError: truth.reduce((a, t, i) => a + Math.abs(predicted[i] - t), 0),
      shiftedTruth: truth.reduce((a, t) => a + (t - shift), 0),
      shiftedTruthSquared: truth.reduce((a, t) => a + (t - shift) ** 2, 0),
    };
  };
  // 7.85 drawn three times, shifted by another truth (5.3): Σd² − (Σd)²/n is 3.6e-15 of
  // rounding dust, not a spread.
  const dust = sumsOf([7, 8, 9], [7.85, 7.85, 7.85]);
  let d = 0;
  let dd = 0;
  for (let i = 0; i < 3; i++) {
    d += 7.85 - 5.3;
    dd += (7.85 - 5.3) ** 2;
  }
  Object.assign(dust, { shiftedTruth: d, shiftedTruthSquared: dd });
  assert.ok(dd - d * d / 3 > 0, "the dust this case is about");
  assert.ok(Number.isNaN(r2.fromSums!(dust)));
  const predicted = [6.5, 8.1, 7.2, 9.4, 5.0];
  const truth = [6.85, 7.9, 7.35, 9.1, 5.55];
  const fromSums = r2.fromSums!(sumsOf(predicted, truth));
  assert.ok(Math.abs(fromSums - r2.compute(f64(predicted), f64(truth))) < 1e-12);
});
