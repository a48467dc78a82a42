import type { Catalogue, ListSetMetric, RecommendationLists } from "./beyond_metric.ts";

/**
 * Catalogue coverage at k: distinct items in the top k of the evaluated users' lists,
 * divided by the catalogue size. One number for the whole set of lists.
 */
export function catalogueCoverage(
  lists: RecommendationLists,
  k: number,
  catalogueSize: number,
): number {
  const { items, rowLength, included } = lists;
  const seen = new Uint8Array(catalogueSize);
  let distinct = 0;
  for (let u = 0; u < included.length; u++) {
    if (included[u] === 0) continue;
    const start = u * rowLength;
    for (let r = 0; r < k; r++) {
      const item = items[start + r];
      if (item < 0) break;
      if (seen[item] === 0) {
        seen[item] = 1;
        distinct++;
      }
    }
  }
  return distinct / catalogueSize;
}

export const coverage: ListSetMetric = {
  kind: "list_set",
  name: "coverage",
  description: "distinct items recommended in the top k over all evaluated users / catalogue size",
  better: "higher",
  byDefault: true,
  compute(lists: RecommendationLists, k: number, catalogue: Catalogue): number {
    if (!(catalogue.size > 0)) {
      throw new Error('metric "coverage" needs options.catalogueSize or options.popularity');
    }
    return catalogueCoverage(lists, k, catalogue.size);
  },
};
