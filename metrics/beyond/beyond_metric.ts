import type { Csr } from "../../data/ratings.ts";
import type { MetricInfo } from "../metric_info.ts";

/** What beyond-accuracy metrics know about the catalogue. */
export interface Catalogue {
  /** number of recommendable items, dense indices 0 .. size-1; -1 when not given */
  size: number;
  /** training rating count per dense item (length `size`), for popularity and novelty */
  popularity?: Int32Array;
  /** number of users in the training data, for novelty */
  trainUsers?: number;
  /** feature ids per item (MAL genres), each row distinct and ascending; for diversity */
  features?: Csr;
}

/** A per-user metric: the mean of an item-level score over the user's top k. */
export interface ItemScoreMetric extends MetricInfo {
  kind: "item_score";
  /** the score of every catalogue item, computed once per evaluation */
  itemScores(catalogue: Catalogue): Float64Array;
}

/**
 * A per-user metric of the list itself (its first k items), such as diversity: `prepare` runs
 * once per evaluation and returns the scorer of items[start .. start+count).
 */
export interface ListMetric extends MetricInfo {
  kind: "list";
  prepare(catalogue: Catalogue): (items: Int32Array, start: number, count: number) => number;
}

/** The evaluated recommendation lists, row-major with -1 padding at the end of a row. */
export interface RecommendationLists {
  items: Int32Array;
  rowLength: number;
  /** included[u] = 1 for rows that belong to the evaluated users */
  included: Uint8Array;
}

/** A metric of the whole set of lists: one number, not a per-user value. */
export interface ListSetMetric extends MetricInfo {
  kind: "list_set";
  compute(lists: RecommendationLists, k: number, catalogue: Catalogue): number;
}

/** The training counts, or an error that names the metric that needs them. */
export function requirePopularity(catalogue: Catalogue, metric: string): Int32Array {
  const popularity = catalogue.popularity;
  if (popularity === undefined) {
    throw new Error(`metric "${metric}" needs options.popularity (training count per item)`);
  }
  return popularity;
}
