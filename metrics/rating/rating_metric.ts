import type { MetricInfo } from "../metric_info.ts";

/** A metric of predicted against true ratings. */
export interface RatingMetric extends MetricInfo {
  kind: "rating";
  /** NaN when there is nothing to score (no rows, or r2 of constant truths) */
  compute(predicted: Float64Array, truth: Float64Array): number;
  /** the per-row terms the metric averages, for paired significance tests */
  perRow?(predicted: Float64Array, truth: Float64Array): Float64Array;
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
