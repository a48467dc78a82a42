import { type Rp3betaConfig, rp3betaConfigSchema } from "./config.ts";
import { neighbourhoodModel } from "./neighbourhood_model.ts";

/**
 * RP3beta (Paudel et al. 2017, as tuned by Dacrema et al. 2019): over the binary X, P_ui (X
 * row-normalised: 1/n_u) and P_iu (X^T row-normalised: 1/pop_i), each raised element-wise to
 * `alpha`; W = P_iu.P_ui, column j divided by pop_j^beta, W_ii = 0, the best `k_neighbors` of
 * each row i kept (equal values: the lower j), no re-normalisation after the cut;
 * scores = X.W. Computed as W_ij = pop_i^-alpha * (sum over users u of both of n_u^-alpha)
 * * pop_j^-beta. The parameters are W by rows.
 */
export const rp3beta = neighbourhoodModel<Rp3betaConfig>({
  type: "rp3beta",
  modules: [import.meta.url],
  description: "RP3beta: three-step random walk item-item graph, popularity penalised",
  config: rp3betaConfigSchema,
  basis: "items",
  measure: (x, { alpha, beta }) => ({
    kind: "product",
    linkWeight: power(x.userCounts, -alpha),
    rowFactor: power(x.itemCounts, -alpha),
    columnFactor: power(x.itemCounts, -beta),
  }),
  cut: "row",
  weightsLabel: "weights",
  summary: (kept, x) => `rp3beta: ${kept} weights kept for ${x.nItems} items`,
});

/** counts^exponent; a count of 0 (an item nobody interacted with) weighs 0: never reached */
function power(counts: Int32Array, exponent: number): Float64Array {
  return Float64Array.from(counts, (n) => (n > 0 ? Math.pow(n, exponent) : 0));
}
