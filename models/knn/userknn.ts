import type { ModelDefinition } from "../model.ts";
import { interactions } from "../implicit/interactions.ts";
import { buildNeighbours } from "./build.ts";
import { neighbourGraph } from "./neighbours.ts";
import { type KnnConfig, knnConfigSchema } from "./config.ts";
import { recommendNeighbourhood } from "./recommend.ts";
import { columnsOfSlots, rowsFromTable, rowsToTable } from "./sparse_rows.ts";

/**
 * UserKNN as in Dacrema et al. (RecSys 2019)'s code: ItemKNN's similarity over users,
 * S_uv = x_u.x_v / (|x_u| |x_v| + shrink) with |x_u| = sqrt(items of u), S_uu = 0, the best
 * `k_neighbors` of each column v kept (equal values: the lower u); scores_u = sum_v S_uv x_v,
 * row u of S.X. Row u thus holds the users v whose column kept u. The parameters are S by
 * rows. Its cost grows with the sum over items of popularity^2 (every pair of users sharing
 * an item), far above ItemKNN's on catalogues with very popular items.
 */
export const userknn: ModelDefinition<KnnConfig> = {
  type: "userknn",
  modules: [import.meta.url],
  description: "user-based k nearest neighbours: cosine with shrinkage, top-k per column",
  config: knnConfigSchema,
  async fit(config, data, ctx) {
    const x = interactions(data, config.threshold);
    const slots = await buildNeighbours(
      neighbourGraph(x.userOffsets, x.userItems, x.itemOffsets, x.itemUsers),
      { kind: "cosine", norms: Float64Array.from(x.userCounts, Math.sqrt), shrink: config.shrink },
      config.k_neighbors,
      config.threads,
      ctx,
      "userknn similarity",
      "users",
    );
    const rows = columnsOfSlots(slots);
    ctx.log(`userknn: ${rows.columns.length} similarities kept for ${x.nUsers} users`);
    return rowsToTable(rows);
  },
  recommend(config, params, data, request, ctx) {
    const x = interactions(data, config.threshold);
    return recommendNeighbourhood(
      rowsFromTable(params, data.nUsers, "userknn"),
      { offsets: x.userOffsets, items: x.userItems },
      "users",
      data.nItems,
      request,
      config.threads,
      ctx,
      "userknn recommend",
    );
  },
};
