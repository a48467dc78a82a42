/**
 * Bootstrap intervals of rating metrics (rmse, mae, r2) over held-out rows, resampling the
 * rows' **users** (as the ranking metrics do): a resample draws users with replacement and
 * the metric is recomputed on all rows of the drawn users, each as often as its user was
 * drawn. Units are the users in order of their first held-out row, so with one row per
 * user (the default split) a unit is a row and the draws are those of a row bootstrap.
 *
 * A metric with a `fromSums` hook (rmse, mae, r2) is computed from per-user sums (squared
 * and absolute error, shifted truth and its square, row count) weighted by the draw counts:
 * one pass over the users per resample, not over the rows. Others (user-registered metrics
 * without the hook) are recomputed on the resample's rows, written into two reused buffers.
 */
import type { RatingMetric, RatingSums } from "../../metrics/rating/rating_metric.ts";
import {
  type BootstrapOptions,
  bootstrapStatistics,
  EXPAND_SLACK,
  expandResample,
  type Interval,
} from "./bootstrap.ts";

/** Held-out rows grouped by user: unit u owns rows `order[offsets[u] .. offsets[u + 1])`. */
export interface RowsByUser {
  offsets: Int32Array;
  order: Int32Array;
}

/** Groups rows by their user, units in order of first appearance, rows in input order. */
export function rowsByUser(user: Int32Array): RowsByUser {
  const unitOf = new Map<number, number>();
  const unit = new Int32Array(user.length);
  for (let r = 0; r < user.length; r++) {
    let u = unitOf.get(user[r]);
    if (u === undefined) unitOf.set(user[r], u = unitOf.size);
    unit[r] = u;
  }
  const offsets = new Int32Array(unitOf.size + 1);
  for (let r = 0; r < user.length; r++) offsets[unit[r] + 1]++;
  for (let u = 0; u < unitOf.size; u++) offsets[u + 1] += offsets[u];
  const next = offsets.slice(0, unitOf.size);
  const order = new Int32Array(user.length);
  for (let r = 0; r < user.length; r++) order[next[unit[r]]++] = r;
  return { offsets, order };
}

/** The intervals of `metrics` (in that order) of `predicted` against `truth`. */
export function ratingIntervals(
  predicted: Float64Array,
  truth: Float64Array,
  groups: RowsByUser,
  metrics: readonly RatingMetric[],
  options: BootstrapOptions,
): Interval[] {
  const units = groups.offsets.length - 1;
  const sums = perUserSums(predicted, truth, groups);
  const rowWalk = metrics.some((metric) => !metric.fromSums);
  const resampled = rowWalk ? new ResampledRows(predicted, truth, groups) : undefined;
  const total: RatingSums = {
    count: 0,
    squaredError: 0,
    absoluteError: 0,
    shiftedTruth: 0,
    shiftedTruthSquared: 0,
  };
  const { count, squaredError, absoluteError, shiftedTruth, shiftedTruthSquared } = sums;
  return bootstrapStatistics(units, metrics.length, (counts, out) => {
    // Locals, no branch on a zero count: the loop stays in registers.
    let n = 0;
    let squared = 0;
    let absolute = 0;
    let truthSum = 0;
    let truthSquared = 0;
    for (let u = 0; u < units; u++) {
      const c = counts[u];
      n += c * count[u];
      squared += c * squaredError[u];
      absolute += c * absoluteError[u];
      truthSum += c * shiftedTruth[u];
      truthSquared += c * shiftedTruthSquared[u];
    }
    total.count = n;
    total.squaredError = squared;
    total.absoluteError = absolute;
    total.shiftedTruth = truthSum;
    total.shiftedTruthSquared = truthSquared;
    if (resampled) resampled.fill(counts, total.count);
    for (let m = 0; m < metrics.length; m++) {
      const metric = metrics[m];
      out[m] = metric.fromSums
        ? metric.fromSums(total)
        : metric.compute(resampled!.predicted, resampled!.truth);
    }
  }, options);
}

/** Each user's row count, error sums and shifted-truth sums (the shift: the first truth). */
function perUserSums(predicted: Float64Array, truth: Float64Array, groups: RowsByUser) {
  const units = groups.offsets.length - 1;
  const count = new Float64Array(units);
  const squaredError = new Float64Array(units);
  const absoluteError = new Float64Array(units);
  const shiftedTruth = new Float64Array(units);
  const shiftedTruthSquared = new Float64Array(units);
  const shift = truth.length ? truth[0] : 0;
  for (let u = 0; u < units; u++) {
    let squared = 0;
    let absolute = 0;
    let truthSum = 0;
    let truthSquared = 0;
    for (let j = groups.offsets[u]; j < groups.offsets[u + 1]; j++) {
      const row = groups.order[j];
      const e = predicted[row] - truth[row];
      const d = truth[row] - shift;
      squared += e * e;
      absolute += Math.abs(e);
      truthSum += d;
      truthSquared += d * d;
    }
    count[u] = groups.offsets[u + 1] - groups.offsets[u];
    squaredError[u] = squared;
    absoluteError[u] = absolute;
    shiftedTruth[u] = truthSum;
    shiftedTruthSquared[u] = truthSquared;
  }
  return { count, squaredError, absoluteError, shiftedTruth, shiftedTruthSquared };
}

/**
 * A resample's rows (each drawn user's rows, as often as drawn) in two reused buffers. With
 * one row per user, `expandResample`'s branch-free copies do it.
 */
class ResampledRows {
  predicted: Float64Array = new Float64Array(0);
  truth: Float64Array = new Float64Array(0);
  private pBuffer: Float64Array;
  private tBuffer: Float64Array;
  private readonly oneRowEach: boolean;

  constructor(
    private readonly p: Float64Array,
    private readonly t: Float64Array,
    private readonly groups: RowsByUser,
  ) {
    this.oneRowEach = groups.offsets.length - 1 === p.length;
    if (this.oneRowEach) {
      this.p = Float64Array.from(groups.order, (r) => p[r]);
      this.t = Float64Array.from(groups.order, (r) => t[r]);
    }
    this.pBuffer = new Float64Array(p.length + EXPAND_SLACK);
    this.tBuffer = new Float64Array(p.length + EXPAND_SLACK);
  }

  fill(counts: Uint16Array, rows: number): void {
    if (rows + EXPAND_SLACK > this.pBuffer.length) {
      this.pBuffer = new Float64Array(Math.ceil(rows * 1.25) + EXPAND_SLACK);
      this.tBuffer = new Float64Array(this.pBuffer.length);
    }
    this.predicted = this.pBuffer.subarray(0, rows);
    this.truth = this.tBuffer.subarray(0, rows);
    if (this.oneRowEach) {
      expandResample(counts, this.p, this.pBuffer);
      expandResample(counts, this.t, this.tBuffer);
      return;
    }
    const { offsets, order } = this.groups;
    let k = 0;
    for (let u = 0; u < counts.length; u++) {
      for (let c = counts[u]; c > 0; c--) {
        for (let j = offsets[u]; j < offsets[u + 1]; j++) {
          this.pBuffer[k] = this.p[order[j]];
          this.tBuffer[k++] = this.t[order[j]];
        }
      }
    }
  }
}
