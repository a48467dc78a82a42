import type { ModelDefinition } from "../model.ts";
import { recommendFactors } from "../ials/factor_recommend.ts";
import { factorScores } from "../ials/ials.ts";
import { type BprConfig, bprConfigSchema } from "./config.ts";
import { fitBpr } from "./fit.ts";

/**
 * BPR-MF (Rendle et al. 2009): SGD on sampled (u, i, j) triples with a uniform negative;
 * scores x_u·y_i + b_i over the whole catalogue.
 */
export const bpr: ModelDefinition<BprConfig> = {
  type: "bpr",
  modules: [import.meta.url],
  description: "Bayesian personalised ranking matrix factorisation (Rendle et al. 2009)",
  config: bprConfigSchema,
  fit: fitBpr,
  recommend(config, params, data, request, ctx) {
    const model = factorScores(config.factors, params, data, "item_bias");
    return recommendFactors("bpr", model, request, config.threads, ctx);
  },
};
