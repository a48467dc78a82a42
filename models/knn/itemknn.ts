import { type KnnConfig, knnConfigSchema } from "./config.ts";
import { binaryCosine, neighbourhoodModel } from "./neighbourhood_model.ts";

/**
 * ItemKNN as in Dacrema et al. (RecSys 2019)'s code: over the binary X, the cosine with
 * shrinkage S_ij = x_i.x_j / (|x_i| |x_j| + shrink) with |x_i| = sqrt(popularity_i), S_ii = 0,
 * the best `k_neighbors` of each column j kept (equal values: the lower i); scores = X.S.
 * The parameters are S by rows (row i: the items j whose column kept i).
 */
export const itemknn = neighbourhoodModel<KnnConfig>({
  type: "itemknn",
  modules: [import.meta.url],
  description: "item-based k nearest neighbours: cosine with shrinkage, top-k per column",
  config: knnConfigSchema,
  basis: "items",
  measure: (x, config) => binaryCosine(x.itemCounts, config.shrink),
  cut: "column",
  weightsLabel: "similarity",
  summary: (kept, x) =>
    `itemknn: ${kept} similarities kept for ${x.nItems} items (${x.userItems.length} interactions)`,
});
