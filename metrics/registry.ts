/**
 * Every metric by the name specs use. Ranking-side names may carry a cutoff
 * ("precision@5"); without one they are evaluated at the list length k. Rating metrics
 * take no cutoff.
 *
 * One registry holds the built-in metrics and those a user adds with `registerMetric`;
 * every list below (names, defaults, directions) is read from it when asked, so a metric
 * registered after import is seen everywhere.
 */
import type { ItemScoreMetric, ListMetric, ListSetMetric } from "./beyond/beyond_metric.ts";
import { coverage } from "./beyond/coverage.ts";
import { gini } from "./beyond/gini.ts";
import { ild } from "./beyond/intra_list_diversity.ts";
import { novelty } from "./beyond/novelty.ts";
import { popularityPercentile } from "./beyond/popularity.ts";
import type { Better, MetricNeed } from "./metric_info.ts";
import { aucTopK } from "./ranking/auc_topk.ts";
import { hitRate } from "./ranking/hit_rate.ts";
import { map } from "./ranking/map.ts";
import { mrr } from "./ranking/mrr.ts";
import { ndcg } from "./ranking/ndcg.ts";
import { precision } from "./ranking/precision.ts";
import { recall } from "./ranking/recall.ts";
import type { RankingMetric } from "./ranking/user_ranking.ts";
import { mae } from "./rating/mae.ts";
import { r2 } from "./rating/r2.ts";
import type { RatingMetric } from "./rating/rating_metric.ts";
import { rmse } from "./rating/rmse.ts";

export type { Better, MetricInfo, MetricNeed } from "./metric_info.ts";

/**
 * A metric of any kind: `ranking` (per user, from the hits of the top k), `item_score` (per
 * user, the mean of an item-level score over the top k), `list` (per user, from the items of
 * the top k themselves), `list_set` (one number for all lists) or `rating` (predicted against
 * true ratings).
 */
export type MetricDefinition =
  | RankingMetric
  | ItemScoreMetric
  | ListMetric
  | ListSetMetric
  | RatingMetric;
export type MetricKind = MetricDefinition["kind"];

const KINDS: readonly MetricKind[] = ["ranking", "item_score", "list", "list_set", "rating"];
const NEEDS: readonly MetricNeed[] = ["excluded_items", "item_features"];
const NAME = /^[a-z][a-z0-9_]*$/;

const registry = new Map<string, MetricDefinition>();

/**
 * Adds a metric: from then on specs may name it, `compare` and `report` rank by its
 * `better`, and with `byDefault` it is scored when a spec names no metrics. Names are
 * unique; the built-in ones are taken.
 */
export function registerMetric(metric: MetricDefinition): void {
  if (typeof metric?.name !== "string" || !NAME.test(metric.name)) {
    throw new Error(
      `registerMetric: name ${JSON.stringify(metric?.name)} must be lower-case letters, ` +
        `digits and "_", starting with a letter`,
    );
  }
  if (!KINDS.includes(metric.kind)) {
    throw new Error(`registerMetric ${metric.name}: kind must be one of ${KINDS.join(", ")}`);
  }
  if (metric.better !== "higher" && metric.better !== "lower") {
    throw new Error(`registerMetric ${metric.name}: better must be "higher" or "lower"`);
  }
  const unknownNeed = metric.needs?.find((need) => !NEEDS.includes(need));
  if (unknownNeed !== undefined) {
    throw new Error(
      `registerMetric ${metric.name}: need "${unknownNeed}" is not one of ${NEEDS.join(", ")}`,
    );
  }
  if (registry.has(metric.name)) {
    throw new Error(`registerMetric: a metric named "${metric.name}" is already registered`);
  }
  registry.set(metric.name, metric);
}

// Registration order is the order of the default lists and of metrics.json.
for (
  const metric of [
    precision,
    recall,
    ndcg,
    hitRate,
    mrr,
    map,
    aucTopK,
    coverage,
    gini,
    popularityPercentile,
    novelty,
    ild,
    rmse,
    mae,
    r2,
  ]
) registerMetric(metric);

/** The metric registered under a base name (no cutoff), if any. */
export function metricDefinition(name: string): MetricDefinition | undefined {
  return registry.get(name);
}

/** What the metric of a name (a cutoff allowed) needs beyond lists and truth; [] if nothing. */
export function metricNeeds(name: string): readonly MetricNeed[] {
  const at = name.indexOf("@");
  return registry.get(at < 0 ? name : name.slice(0, at))?.needs ?? [];
}

/** Which way the metric of a base name improves, if it is registered. */
export function metricBetter(name: string): Better | undefined {
  return registry.get(name)?.better;
}

function namesWhere(keep: (metric: MetricDefinition) => boolean): string[] {
  return [...registry.values()].filter(keep).map((metric) => metric.name);
}

/** Names accepted by `evaluateRanking` (each also as `<name>@<k>`). */
export function recommendationMetricNames(): string[] {
  return namesWhere((metric) => metric.kind !== "rating");
}

/** Names accepted by `evaluateRating`. */
export function ratingMetricNames(): string[] {
  return namesWhere((metric) => metric.kind === "rating");
}

/** Every metric name, without cutoffs. */
export function metricNames(): string[] {
  return [...registry.keys()];
}

/** What a recommender is scored on when a spec names no metrics. */
export function defaultRankingMetrics(): string[] {
  return namesWhere((metric) => metric.kind !== "rating" && metric.byDefault === true);
}

/** What a rating predictor is scored on when a spec names no metrics. */
export function defaultRatingMetrics(): string[] {
  return namesWhere((metric) => metric.kind === "rating" && metric.byDefault === true);
}

/** The registered metric of a name and kind, or an error listing the names of that side. */
export function metricOfKind<K extends MetricKind>(
  name: string,
  kind: K,
): Extract<MetricDefinition, { kind: K }> {
  const metric = registry.get(name);
  if (metric?.kind !== kind) {
    throw unknownMetricError(
      name,
      kind === "rating" ? ratingMetricNames() : recommendationMetricNames(),
    );
  }
  return metric as Extract<MetricDefinition, { kind: K }>;
}

/** A recommendation metric resolved to its cutoff. */
export interface MetricAtK {
  /** registry key, e.g. "precision" */
  base: string;
  k: number;
  /** the result name, e.g. "precision@10" */
  name: string;
}

/** The error for a name no registry knows, listing the valid ones. */
export function unknownMetricError(name: string, valid: readonly string[]): Error {
  return new Error(`unknown metric "${name}"; valid names: ${valid.join(", ")}`);
}

/**
 * Splits "precision@5" into its registry key and cutoff; a bare "precision" gets
 * `defaultK`. Throws for unknown names and for cutoffs outside 1..maxK.
 */
export function parseRecommendationMetric(
  name: string,
  defaultK: number,
  maxK = defaultK,
): MetricAtK {
  const at = name.indexOf("@");
  const base = at < 0 ? name : name.slice(0, at);
  const names = recommendationMetricNames();
  if (!names.includes(base)) throw unknownMetricError(name, names);
  const k = at < 0 ? defaultK : parseCutoff(name.slice(at + 1));
  if (!(k >= 1 && k <= maxK)) {
    throw new Error(`metric "${name}": the cutoff must be an integer in 1..${maxK}`);
  }
  return { base, k, name: `${base}@${k}` };
}

/** True for any name `evaluateRanking` or `evaluateRating` accepts (cutoff not bounded). */
export function isMetricName(name: string): boolean {
  const at = name.indexOf("@");
  const metric = registry.get(at < 0 ? name : name.slice(0, at));
  if (!metric) return false;
  if (at < 0) return true;
  return metric.kind !== "rating" && parseCutoff(name.slice(at + 1)) >= 1;
}

/** The cutoff written after "@" (digits only, no sign or spaces), or NaN. */
function parseCutoff(text: string): number {
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
}
