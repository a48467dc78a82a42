import type { ModelDefinition } from "../model.ts";
import { interactions } from "../implicit/interactions.ts";
import { buildNeighbours } from "./build.ts";
import { neighbourGraph } from "./neighbours.ts";
import { type KnnConfig, knnConfigSchema } from "./config.ts";
import { recommendNeighbourhood } from "./recommend.ts";
import { columnsOfSlots, rowsFromTable, rowsToTable } from "./sparse_rows.ts";

/**
 * ItemKNN as in Dacrema et al. (RecSys 2019)'s code: over the binary X, the cosine with
 * shrinkage S_ij = x_i.x_j / (|x_i| |x_j| + shrink) with |x_i| = sqrt(popularity_i), S_ii = 0,
 * the best `k_neighbors` of each column j kept (equal values: the lower i); scores = X.S.
 * The parameters are S by rows (row i: the items j whose column kept i).
 */
export const itemknn: ModelDefinition<KnnConfig> = {
  type: "itemknn",
  modules: [import.meta.url],
  description: "item-based k nearest neighbours: cosine with shrinkage, top-k per column",
  config: knnConfigSchema,
  async fit(config, data, ctx) {
    const x = interactions(data, config.threshold);
    const slots = await buildNeighbours(
      neighbourGraph(x.itemOffsets, x.itemUsers, x.userOffsets, x.userItems),
      { kind: "cosine", norms: Float64Array.from(x.itemCounts, Math.sqrt), shrink: config.shrink },
      config.k_neighbors,
      config.threads,
      ctx,
      "itemknn similarity",
      "items",
    );
    const rows = columnsOfSlots(slots);
    ctx.log(
      `itemknn: ${rows.columns.length} similarities kept for ${x.nItems} items ` +
        `(${x.userItems.length} interactions)`,
    );
    return rowsToTable(rows);
  },
  recommend(config, params, data, request, ctx) {
    const x = interactions(data, config.threshold);
    return recommendNeighbourhood(
      rowsFromTable(params, data.nItems, "itemknn"),
      { offsets: x.userOffsets, items: x.userItems },
      "items",
      data.nItems,
      request,
      config.threads,
      ctx,
      "itemknn recommend",
    );
  },
};
