import { ratingMetricNames, ratingMetrics, unknownMetricError } from "./registry.ts";

/**
 * Rating metrics of `predicted` against `truth` (same length, finite; predictions are
 * expected already clipped to the rating scale by the model), e.g. { rmse: 0.71 }.
 * Per-row terms for significance tests: `ratingMetrics.rmse.perRow`.
 */
export function evaluateRating(
  predicted: Float64Array,
  truth: Float64Array,
  metrics: readonly string[],
): Record<string, number> {
  for (const name of metrics) {
    if (!Object.hasOwn(ratingMetrics, name)) throw unknownMetricError(name, ratingMetricNames);
  }
  const result: Record<string, number> = {};
  for (const name of metrics) result[name] = ratingMetrics[name].compute(predicted, truth);
  return result;
}
