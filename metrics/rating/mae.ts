import { checkRatingPairs, type RatingMetric } from "./rating_metric.ts";

/** |predicted - truth| per row. */
export function absoluteErrors(predicted: Float64Array, truth: Float64Array): Float64Array {
  checkRatingPairs(predicted, truth);
  const errors = new Float64Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) errors[i] = Math.abs(predicted[i] - truth[i]);
  return errors;
}

/** Mean absolute error; NaN for no rows. */
export function meanAbsoluteError(predicted: Float64Array, truth: Float64Array): number {
  checkRatingPairs(predicted, truth);
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i] - truth[i]);
  return predicted.length === 0 ? NaN : sum / predicted.length;
}

export const mae: RatingMetric = {
  kind: "rating",
  name: "mae",
  description: "mean absolute error of the predicted ratings",
  better: "lower",
  byDefault: true,
  compute: meanAbsoluteError,
  perRow: absoluteErrors,
  fromSums: (sums) => sums.count === 0 ? NaN : sums.absoluteError / sums.count,
};
