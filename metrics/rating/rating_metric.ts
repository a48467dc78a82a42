import type { MetricInfo } from "../metric_info.ts";

/** A metric of predicted against true ratings. */
export interface RatingMetric extends MetricInfo {
  kind: "rating";
  /** NaN when there is nothing to score (no rows, or r2 of constant truths) */
  compute(predicted: Float64Array, truth: Float64Array): number;
  /** the per-row terms the metric averages, for paired significance tests */
  perRow?(predicted: Float64Array, truth: Float64Array): Float64Array;
  /**
   * The metric from sums over its rows (`compute` of those rows, up to rounding): lets a
   * bootstrap resample whole users from their per-user sums instead of re-walking rows.
   * Metrics without it are recomputed on the resampled rows.
   */
  fromSums?(sums: RatingSums): number;
}

/** Sums over a set of rating rows (a row drawn twice counts twice). */
export interface RatingSums {
  /** the number of rows */
  count: number;
  /** Σ (predicted − truth)² */
  squaredError: number;
  /** Σ |predicted − truth| */
  absoluteError: number;
  /**
   * Σ (truth − shift) and Σ (truth − shift)², for a spread of the truths (r2). The shift is
   * one of the truths, so constant truths sum to exactly 0 and the two sums do not cancel
   * catastrophically the way raw Σ truth² − (Σ truth)² / n would.
   */
  shiftedTruth: number;
  shiftedTruthSquared: number;
}

/** Throws unless both arrays have the same length and only finite numbers. */
export function checkRatingPairs(predicted: Float64Array, truth: Float64Array): void {
  if (predicted.length !== truth.length) {
    throw new Error(
      `rating metrics: ${predicted.length} predictions but ${truth.length} true ratings`,
    );
  }
  for (let i = 0; i < predicted.length; i++) {
    if (!Number.isFinite(predicted[i])) {
      throw new Error(`rating metrics: predictions[${i}] is ${predicted[i]}, not a finite number`);
    }
    if (!Number.isFinite(truth[i])) {
      throw new Error(`rating metrics: truth[${i}] is ${truth[i]}, not a finite number`);
    }
  }
}
