import { type Catalogue, type ItemScoreMetric, requirePopularity } from "./beyond_metric.ts";

/**
 * Popularity percentile of every item: 100 x (share of catalogue items whose training
 * count is <= the item's). Ties share the highest rank of their group, so the most
 * popular item scores 100 and items never rated in training all score
 * 100 x (number of unrated items) / catalogue size.
 */
export function popularityPercentiles(counts: Int32Array): Float64Array {
  const n = counts.length;
  const sorted = counts.slice().sort();
  const percentiles = new Float64Array(n);
  for (let i = 0; i < n; i++) percentiles[i] = (100 * countAtMost(sorted, counts[i])) / n;
  return percentiles;
}

/** Number of entries of ascending `sorted` that are <= value (binary search). */
function countAtMost(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mean popularity percentile (0..100] of a user's top k: lower means less mainstream. */
export const popularityPercentile: ItemScoreMetric = {
  kind: "item_score",
  name: "popularity_percentile",
  description:
    "mean popularity percentile (by training count, ties share the top rank) of the top k",
  better: "lower",
  byDefault: true,
  itemScores: (catalogue: Catalogue) =>
    popularityPercentiles(requirePopularity(catalogue, "popularity_percentile")),
};
