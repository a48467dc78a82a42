import type { Catalogue, ListSetMetric, RecommendationLists } from "./beyond_metric.ts";

/**
 * Gini index of how often each catalogue item is recommended in the top k of the evaluated
 * users' lists: with the counts sorted ascending c_1 <= ... <= c_n,
 * G = sum_i (2i - n - 1) c_i / (n sum_i c_i). 0 when every item is recommended equally often,
 * (n - 1) / n when one item takes every slot. NaN when nothing is recommended.
 */
export function giniIndex(lists: RecommendationLists, k: number, catalogueSize: number): number {
  const { items, rowLength, included } = lists;
  const counts = new Int32Array(catalogueSize);
  let total = 0;
  for (let u = 0; u < included.length; u++) {
    if (included[u] === 0) continue;
    const start = u * rowLength;
    for (let r = 0; r < Math.min(k, rowLength); r++) {
      const item = items[start + r];
      if (item < 0) break;
      counts[item]++;
      total++;
    }
  }
  if (total === 0) return NaN;
  counts.sort();
  const n = catalogueSize;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * counts[i];
  return weighted / (n * total);
}

export const gini: ListSetMetric = {
  kind: "list_set",
  name: "gini",
  description: "Gini index of the items' recommendation counts in the top k over the " +
    "catalogue (0: every item recommended equally often)",
  better: "lower",
  byDefault: false,
  compute(lists: RecommendationLists, k: number, catalogue: Catalogue): number {
    if (!(catalogue.size > 0)) {
      throw new Error('metric "gini" needs options.catalogueSize or options.popularity');
    }
    return giniIndex(lists, k, catalogue.size);
  },
};
