/**
 * Which trial a sweep chooses: the best by a metric on a part the model was not tested on
 * (`dev.ndcg@10` by default), so that the chosen trial's test metrics are an honest
 * estimate; choosing by test would tune to the test set. Which way is better comes from the
 * metric registry.
 */
import { metricBetter } from "../../metrics/registry.ts";
import type { Better } from "../../metrics/metric_info.ts";
import { UserError } from "../errors.ts";
import type { MetricsFile } from "../run_folder/metrics_file.ts";
import type { TrialResult } from "./run_sweep.ts";
import { type KeyMetric, metricValue } from "./trial_metrics.ts";

/** Where a select metric was named, for errors (the spec field or the option). */
type ErrorLocation = UserError["location"];

/** What a sweep selects by when neither the spec nor the command line says. */
export const DEFAULT_SELECT = "dev.ndcg@10";

export interface SelectMetric extends KeyMetric {
  /** as written, e.g. dev.ndcg@10 */
  text: string;
  better: Better;
  /** named by the user (a missing metric is an error) rather than the default (a note) */
  explicit: boolean;
}

export interface Selection {
  metric: SelectMetric;
  /** the chosen trial; absent when no trial has the metric */
  trial?: TrialResult;
  value?: number;
  /** trials with a run folder but without the metric (another cutoff, say): not compared */
  without: number[];
}

/**
 * `<part>.<metric>` (`dev.ndcg@10`, `dev.rmse`, or `dev.ndcg` for any cutoff), checked
 * against the metric registry before any trial runs. `where` names the spec field or
 * option for errors.
 */
export function parseSelect(
  text: string | null | undefined,
  where: ErrorLocation,
): SelectMetric {
  const explicit = text !== null && text !== undefined;
  const wanted = explicit ? text : DEFAULT_SELECT;
  const dot = wanted.indexOf(".");
  if (dot <= 0 || dot === wanted.length - 1) {
    throw new UserError(
      `expected <part>.<metric>, e.g. dev.ndcg@10 or dev.rmse; got '${wanted}'`,
      where,
    );
  }
  const part = wanted.slice(0, dot);
  const name = wanted.slice(dot + 1);
  const better = metricBetter(name.split("@")[0]);
  if (!better) {
    throw new UserError(
      `'${name}' is not a registered metric, so it has no better direction to select by`,
      where,
    );
  }
  return { part, name, text: wanted, better, explicit };
}

/**
 * The trial with the best value of the metric among those with a run folder (ties: the
 * lowest trial number; NaN never wins). With no trial holding the metric: a UserError
 * listing what they hold when the metric was named explicitly, else no trial.
 */
export function selectTrial(
  results: TrialResult[],
  metric: SelectMetric,
  metricsOf: (result: TrialResult) => MetricsFile | undefined,
  where: ErrorLocation,
): Selection {
  let best: Selection = { metric, without: [] };
  const without: number[] = [];
  const known = new Set<string>();
  for (const result of results) {
    const metrics = metricsOf(result);
    if (!metrics) continue;
    for (const [part, values] of Object.entries(metrics.metrics)) {
      for (const name of Object.keys(values)) known.add(`${part}.${name}`);
    }
    const value = metricValue(metrics.metrics, metric);
    if (value === undefined || Number.isNaN(value)) {
      without.push(result.trial.index);
      continue;
    }
    const better = best.value === undefined ||
      (metric.better === "higher" ? value > best.value : value < best.value);
    if (better) best = { metric, trial: result, value, without };
  }
  best.without = without;
  if (!best.trial && metric.explicit && known.size) {
    throw new UserError(
      `no trial has the metric '${metric.text}' to select by; they have: ${[...known].join(", ")}`,
      where,
    );
  }
  return best;
}
