import type { ModelDefinition } from "../model.ts";
import { interactions } from "../implicit/interactions.ts";
import { buildNeighbours } from "./build.ts";
import { neighbourGraph } from "./neighbours.ts";
import { type Rp3betaConfig, rp3betaConfigSchema } from "./config.ts";
import { recommendNeighbourhood } from "./recommend.ts";
import { rowsFromTable, rowsOfSlots, rowsToTable } from "./sparse_rows.ts";

/**
 * RP3beta (Paudel et al. 2017, as tuned by Dacrema et al. 2019): over the binary X, P_ui (X
 * row-normalised: 1/n_u) and P_iu (X^T row-normalised: 1/pop_i), each raised element-wise to
 * `alpha`; W = P_iu.P_ui, column j divided by pop_j^beta, W_ii = 0, the best `k_neighbors` of
 * each row i kept (equal values: the lower j), no re-normalisation after the cut;
 * scores = X.W. Computed as W_ij = pop_i^-alpha * (sum over users u of both of n_u^-alpha)
 * * pop_j^-beta. The parameters are W by rows.
 */
export const rp3beta: ModelDefinition<Rp3betaConfig> = {
  type: "rp3beta",
  modules: [import.meta.url],
  description: "RP3beta: three-step random walk item-item graph, popularity penalised",
  config: rp3betaConfigSchema,
  async fit(config, data, ctx) {
    const x = interactions(data, config.threshold);
    const { alpha, beta } = config;
    // a count of 0 (an item nobody interacted with) weighs 0: it is never reached anyway
    const power = (counts: Int32Array, exponent: number) =>
      Float64Array.from(counts, (n) => (n > 0 ? Math.pow(n, exponent) : 0));
    const slots = await buildNeighbours(
      neighbourGraph(x.itemOffsets, x.itemUsers, x.userOffsets, x.userItems),
      {
        kind: "product",
        linkWeight: power(x.userCounts, -alpha),
        rowFactor: power(x.itemCounts, -alpha),
        columnFactor: power(x.itemCounts, -beta),
      },
      config.k_neighbors,
      config.threads,
      ctx,
      "rp3beta weights",
      "items",
    );
    const rows = rowsOfSlots(slots);
    ctx.log(`rp3beta: ${rows.columns.length} weights kept for ${x.nItems} items`);
    return rowsToTable(rows);
  },
  recommend(config, params, data, request, ctx) {
    const x = interactions(data, config.threshold);
    return recommendNeighbourhood(
      rowsFromTable(params, data.nItems, "rp3beta"),
      { offsets: x.userOffsets, items: x.userItems },
      "items",
      data.nItems,
      request,
      config.threads,
      ctx,
      "rp3beta recommend",
    );
  },
};
