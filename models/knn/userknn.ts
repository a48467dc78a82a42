import { type KnnConfig, knnConfigSchema } from "./config.ts";
import { binaryCosine, neighbourhoodModel } from "./neighbourhood_model.ts";

/**
 * UserKNN as in Dacrema et al. (RecSys 2019)'s code: ItemKNN's similarity over users,
 * S_uv = x_u.x_v / (|x_u| |x_v| + shrink) with |x_u| = sqrt(items of u), S_uu = 0, the best
 * `k_neighbors` of each column v kept (equal values: the lower u); scores_u = sum_v S_uv x_v,
 * row u of S.X. Row u thus holds the users v whose column kept u. The parameters are S by
 * rows. Its cost grows with the sum over items of popularity^2 (every pair of users sharing
 * an item), far above ItemKNN's on catalogues with very popular items.
 */
export const userknn = neighbourhoodModel<KnnConfig>({
  type: "userknn",
  modules: [import.meta.url],
  description: "user-based k nearest neighbours: cosine with shrinkage, top-k per column",
  config: knnConfigSchema,
  basis: "users",
  measure: (x, config) => binaryCosine(x.userCounts, config.shrink),
  cut: "column",
  weightsLabel: "similarity",
  summary: (kept, x) => `userknn: ${kept} similarities kept for ${x.nUsers} users`,
});
