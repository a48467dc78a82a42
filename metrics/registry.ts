/**
 * Every metric by the name specs use. Ranking-side names may carry a cutoff
 * ("precision@5"); without one they are evaluated at the list length k. Rating metrics
 * take no cutoff.
 */
import type { ItemScoreMetric, ListSetMetric } from "./beyond/beyond_metric.ts";
import { coverage } from "./beyond/coverage.ts";
import { novelty } from "./beyond/novelty.ts";
import { popularityPercentile } from "./beyond/popularity.ts";
import { hitRate } from "./ranking/hit_rate.ts";
import { mrr } from "./ranking/mrr.ts";
import { ndcg } from "./ranking/ndcg.ts";
import { precision } from "./ranking/precision.ts";
import { recall } from "./ranking/recall.ts";
import type { RankingMetric } from "./ranking/user_ranking.ts";
import { mae } from "./rating/mae.ts";
import { r2 } from "./rating/r2.ts";
import type { RatingMetric } from "./rating/rating_metric.ts";
import { rmse } from "./rating/rmse.ts";

/** Per-user accuracy of a top-k list against the user's truth. */
export const rankingMetrics: Record<string, RankingMetric> = {
  precision,
  recall,
  ndcg,
  hit_rate: hitRate,
  mrr,
};

/** Per-user means of an item-level score over the top k (need no truth). */
export const itemScoreMetrics: Record<string, ItemScoreMetric> = {
  popularity_percentile: popularityPercentile,
  novelty,
};

/** One number for all lists together. */
export const listSetMetrics: Record<string, ListSetMetric> = { coverage };

export const ratingMetrics: Record<string, RatingMetric> = { rmse, mae, r2 };

/** What a recommender is scored on when a spec names no metrics. */
export const DEFAULT_RANKING_METRICS: readonly string[] = [
  "precision",
  "recall",
  "ndcg",
  "hit_rate",
  "mrr",
  "coverage",
  "popularity_percentile",
];

/** What a rating predictor is scored on when a spec names no metrics. */
export const DEFAULT_RATING_METRICS: readonly string[] = ["rmse", "mae"];

/** Names accepted by `evaluateRanking` (each also as `<name>@<k>`). */
export const recommendationMetricNames: readonly string[] = [
  ...Object.keys(rankingMetrics),
  ...Object.keys(itemScoreMetrics),
  ...Object.keys(listSetMetrics),
];

/** Names accepted by `evaluateRating`. */
export const ratingMetricNames: readonly string[] = Object.keys(ratingMetrics);

/** Every metric name, without cutoffs. */
export const metricNames: readonly string[] = [...recommendationMetricNames, ...ratingMetricNames];

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
  if (!recommendationMetricNames.includes(base)) {
    throw unknownMetricError(name, recommendationMetricNames);
  }
  const k = at < 0 ? defaultK : parseCutoff(name.slice(at + 1));
  if (!(k >= 1 && k <= maxK)) {
    throw new Error(`metric "${name}": the cutoff must be an integer in 1..${maxK}`);
  }
  return { base, k, name: `${base}@${k}` };
}

/** True for any name `evaluateRanking` or `evaluateRating` accepts (cutoff not bounded). */
export function isMetricName(name: string): boolean {
  if (ratingMetricNames.includes(name)) return true;
  const at = name.indexOf("@");
  if (at < 0) return recommendationMetricNames.includes(name);
  return recommendationMetricNames.includes(name.slice(0, at)) &&
    parseCutoff(name.slice(at + 1)) >= 1;
}

/** The cutoff written after "@" (digits only, no sign or spaces), or NaN. */
function parseCutoff(text: string): number {
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
}
