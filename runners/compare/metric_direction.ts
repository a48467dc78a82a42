/** Which way a metric improves; `neutral` columns get no "best" mark. */
export type Direction = "higher" | "lower" | "neutral";

/**
 * Errors are better low (rmse, mae, mse); so is popularity_percentile: a lower mean
 * percentile of the recommended items means less popularity bias. Reference figures
 * (`baseline_rmse`: predicting the training mean) describe the data, not the run, and are
 * neutral. Everything else (precision, recall, ndcg, hit_rate, mrr, coverage, novelty, r2)
 * is better high.
 */
const LOWER_IS_BETTER = new Set(["rmse", "mae", "mse", "popularity_percentile"]);

/** The direction of a metric name such as `ndcg@10` or `rmse` (the cutoff is ignored). */
export function metricDirection(metric: string): Direction {
  const base = metric.split("@")[0];
  if (base.includes("baseline")) return "neutral";
  return LOWER_IS_BETTER.has(base) ? "lower" : "higher";
}
