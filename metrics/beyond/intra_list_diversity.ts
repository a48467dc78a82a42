import type { Csr } from "../../data/ratings.ts";
import type { Catalogue, ListMetric } from "./beyond_metric.ts";

/**
 * Jaccard distance 1 - |A ∩ B| / |A ∪ B| of two items' feature sets; each row of `features`
 * lists distinct ids in ascending order, and neither row is empty.
 */
export function jaccardDistance(features: Csr, a: number, b: number): number {
  const { offsets, values } = features;
  let i = offsets[a], j = offsets[b];
  const endA = offsets[a + 1], endB = offsets[b + 1];
  let common = 0;
  while (i < endA && j < endB) {
    if (values[i] === values[j]) {
      common++;
      i++;
      j++;
    } else if (values[i] < values[j]) i++;
    else j++;
  }
  return 1 - common / (endA - offsets[a] + endB - offsets[b] - common);
}

/**
 * Intra-list diversity of items[start .. start+count): the mean Jaccard distance between the
 * feature sets of every pair of its items. Items without features (an anime whose genres are
 * UNKNOWN) are left out; NaN when fewer than two items have features.
 */
export function intraListDiversity(
  items: Int32Array,
  start: number,
  count: number,
  features: Csr,
): number {
  const { offsets } = features;
  let sum = 0;
  let pairs = 0;
  for (let x = start; x < start + count; x++) {
    const a = items[x];
    if (offsets[a + 1] === offsets[a]) continue;
    for (let y = x + 1; y < start + count; y++) {
      const b = items[y];
      if (offsets[b + 1] === offsets[b]) continue;
      sum += jaccardDistance(features, a, b);
      pairs++;
    }
  }
  return pairs === 0 ? NaN : sum / pairs;
}

export const ild: ListMetric = {
  kind: "list",
  name: "ild",
  description: "intra-list diversity: mean Jaccard distance between the genre sets of every " +
    "pair of items in the top k (items without genres left out)",
  better: "higher",
  byDefault: false,
  needs: ["item_features"],
  prepare(catalogue: Catalogue) {
    const features = catalogue.features;
    if (features === undefined) {
      throw new Error(
        'metric "ild" needs item features (options.itemFeatures: genre ids per item)',
      );
    }
    return (items, start, count) => intraListDiversity(items, start, count, features);
  },
};
