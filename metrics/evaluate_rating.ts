import { metricOfKind } from "./registry.ts";

/**
 * Rating metrics of `predicted` against `truth` (same length, finite; predictions are
 * expected already clipped to the rating scale by the model), e.g. { rmse: 0.71 }.
 * Per-row terms for significance tests: `metricOfKind("rmse", "rating").perRow`.
 */
export function evaluateRating(
  predicted: Float64Array,
  truth: Float64Array,
  metrics: readonly string[],
): Record<string, number> {
  const resolved = metrics.map((name) => metricOfKind(name, "rating"));
  const result: Record<string, number> = {};
  for (const metric of resolved) result[metric.name] = metric.compute(predicted, truth);
  return result;
}
