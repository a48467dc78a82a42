import { join } from "node:path";
import type { Metrics } from "../results.ts";
import { type MetricsFile, parseMetricsJson } from "../run_folder/metrics_file.ts";

/**
 * A metric of the sweep's trials: a held-out part and a metric name, with or without its
 * cutoff (`precision` matches `precision@5` in one trial and `precision@10` in another, so
 * a sweep over model.k still has a column to compare).
 */
export interface KeyMetric {
  part: string;
  name: string;
}

/** The metric's value in one run: the exact name, else the first with that name and a cutoff. */
export function metricValue(metrics: Metrics, metric: KeyMetric): number | undefined {
  const values = metrics[metric.part];
  if (!values) return undefined;
  if (metric.name in values) return values[metric.name];
  const key = Object.keys(values).find((k) => k.split("@")[0] === metric.name);
  return key === undefined ? undefined : values[key];
}

/** The same lookup's interval and fold spread, if metrics.json has them. */
export function metricSpread(
  file: MetricsFile,
  metric: KeyMetric,
): { ci?: [number, number]; std?: number } {
  const values = file.metrics[metric.part];
  if (!values) return {};
  const key = metric.name in values
    ? metric.name
    : Object.keys(values).find((k) => k.split("@")[0] === metric.name);
  if (key === undefined) return {};
  return {
    ci: file.uncertainty.ci[metric.part]?.[key],
    std: file.uncertainty.std[metric.part]?.[key],
  };
}

/** A trial's metrics.json through the run-folder reader; undefined when absent or unreadable. */
export function readTrialMetrics(runDir: string): MetricsFile | undefined {
  const file = join(runDir, "metrics.json");
  try {
    return parseMetricsJson(Deno.readTextFileSync(file), file);
  } catch {
    return undefined;
  }
}
