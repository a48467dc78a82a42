import { checkRatingPairs, type RatingMetric } from "./rating_metric.ts";

/**
 * Coefficient of determination 1 - SS_res / SS_tot (as sklearn's r2_score). NaN when
 * the truths are constant or absent: the ratio is undefined there, and a made-up 0 or 1
 * would hide that.
 */
export function coefficientOfDetermination(predicted: Float64Array, truth: Float64Array): number {
  checkRatingPairs(predicted, truth);
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i];
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = truth[i] - predicted[i];
    const d = truth[i] - mean;
    residual += e * e;
    total += d * d;
  }
  return total === 0 ? NaN : 1 - residual / total;
}

export const r2: RatingMetric = {
  kind: "rating",
  name: "r2",
  description: "coefficient of determination 1 - SS_res / SS_tot of the predicted ratings",
  better: "higher",
  compute: coefficientOfDetermination,
  fromSums: (sums) => {
    if (sums.count === 0) return NaN;
    const total = sums.shiftedTruthSquared - sums.shiftedTruth ** 2 / sums.count;
    // Equal truths other than the shift leave rounding dust, not a spread: NaN.
    const constant = total <= 1e-12 * sums.shiftedTruthSquared;
    return constant ? NaN : 1 - sums.squaredError / total;
  },
};
