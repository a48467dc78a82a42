import { checkRatingPairs, type RatingMetric } from "./rating_metric.ts";

/** (predicted - truth)^2 per row: the terms RMSE averages before its square root. */
export function squaredErrors(predicted: Float64Array, truth: Float64Array): Float64Array {
  checkRatingPairs(predicted, truth);
  const errors = new Float64Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) {
    const e = predicted[i] - truth[i];
    errors[i] = e * e;
  }
  return errors;
}

/** Root mean squared error; NaN for no rows. */
export function rootMeanSquaredError(predicted: Float64Array, truth: Float64Array): number {
  checkRatingPairs(predicted, truth);
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const e = predicted[i] - truth[i];
    sum += e * e;
  }
  return predicted.length === 0 ? NaN : Math.sqrt(sum / predicted.length);
}

export const rmse: RatingMetric = {
  kind: "rating",
  name: "rmse",
  description: "root mean squared error of the predicted ratings",
  better: "lower",
  byDefault: true,
  compute: rootMeanSquaredError,
  perRow: squaredErrors,
  fromSums: (sums) => sums.count === 0 ? NaN : Math.sqrt(sums.squaredError / sums.count),
};
