import type { ModelDefinition } from "../model.ts";
import { resolveRates, type SvdConfig, svdConfigSchema } from "./config.ts";
import { fitFactorModel } from "./fit.ts";
import type { TableShape } from "./params.ts";
import { predictFromParams, recommendFromParams } from "./scoring.ts";

/** Biased matrix factorisation as Surprise's `SVD` (same defaults, same SGD order). */
export const svd: ModelDefinition<SvdConfig> = {
  type: "svd",
  modules: [import.meta.url],
  description: "SVD (Surprise SVD): biased matrix factorisation trained by SGD",
  config: svdConfigSchema,
  fit(config, data, ctx) {
    return fitFactorModel(
      {
        name: "svd",
        trainer: "svd",
        epochs: config.epochs,
        threads: config.threads,
        rates: resolveRates(config),
        init: {
          factors: config.factors,
          initMean: config.init_mean,
          initStd: config.init_std,
          precision: config.precision,
          implicit: false,
          biased: config.biased,
        },
      },
      data,
      ctx,
    );
  },
  predict(config, params, data, users, items) {
    return predictFromParams(params, data, shape(config), users, items);
  },
  ties: ["python_set", "python_set_difference"],
  recommend(config, params, data, request) {
    return recommendFromParams(params, data, shape(config), request, config.threads);
  },
};

function shape(config: SvdConfig): TableShape {
  return { factors: config.factors, biased: config.biased, implicit: false };
}
