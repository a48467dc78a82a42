import { metricBetter, metricNames } from "../../metrics/registry.ts";

/** Which way a metric improves; `neutral` columns get no "best" mark. */
export type Direction = "higher" | "lower" | "neutral";

/**
 * The direction of a metric name such as `ndcg@10` or `rmse` (the cutoff is ignored), as the
 * metric registry declares it. Names the registry does not know are neutral: reference
 * figures (`baseline_rmse`: predicting the training mean) describe the data, not the run.
 */
export function metricDirection(metric: string): Direction {
  return metricBetter(metric.split("@")[0]) ?? "neutral";
}

/** The registered metrics that are better low, e.g. rmse, mae, popularity_percentile. */
export function lowerIsBetterMetrics(): string[] {
  return metricNames().filter((name) => metricBetter(name) === "lower");
}
