import type { ModelDefinition } from "../model.ts";
import { resolveRates, type SvdppConfig, svdppConfigSchema } from "./config.ts";
import type { Precision } from "./factors.ts";
import { fitFactorModel } from "./fit.ts";
import type { TableShape } from "./params.ts";
import { predictFromParams, recommendFromParams } from "./scoring.ts";

/** SVD++ as Surprise's `SVDpp`, with a linear-time "fast" trainer by default. */
export const svdpp: ModelDefinition<SvdppConfig> = {
  type: "svdpp",
  modules: [import.meta.url],
  description: "SVD++ (Surprise SVDpp): biases, user factors and implicit feedback, SGD",
  config: svdppConfigSchema,
  fit(config, data, ctx) {
    const precision = svdppPrecision(config);
    return fitFactorModel(
      {
        name: `svdpp/${config.variant}`,
        trainer: config.variant === "surprise" ? "svdpp-surprise" : "svdpp-fast",
        epochs: config.epochs,
        threads: svdppThreads(config),
        rates: resolveRates(config),
        init: {
          factors: config.factors,
          initMean: config.init_mean,
          initStd: config.init_std,
          precision,
          implicit: true,
          biased: true,
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

function shape(config: SvdppConfig): TableShape {
  return { factors: config.factors, biased: true, implicit: true };
}

/** Surprise's loop is replayed in Float64 only; the fast trainer defaults to Float32. */
export function svdppPrecision(config: SvdppConfig): Precision {
  if (config.variant === "surprise") {
    if (config.precision === "float32") {
      throw new Error("svdpp: precision float32 is not available with variant surprise");
    }
    return "float64";
  }
  return config.precision ?? "float32";
}

/**
 * The schema refuses threads > 1 with variant surprise, but a spec's model schema is built
 * from the fields alone (models/registry.ts), so fit checks again.
 */
export function svdppThreads(config: SvdppConfig): number {
  if (config.variant === "surprise" && config.threads > 1) {
    throw new Error(
      `svdpp: threads ${config.threads} needs variant fast; variant surprise replays ` +
        "Surprise's single-threaded loop (use threads 1)",
    );
  }
  return config.threads;
}
