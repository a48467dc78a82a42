import type { Table } from "../../runners/table.ts";
import type { ModelDefinition, TrainData } from "../model.ts";
import { type IalsConfig, ialsConfigSchema } from "./config.ts";
import { recommendFactors } from "./factor_recommend.ts";
import type { FactorScores } from "./factor_scores.ts";
import { fitIals } from "./fit.ts";

/**
 * iALS (Hu, Koren, Volinsky 2008; tuning options of Rendle et al. 2022): alternating least
 * squares on the confidence-weighted binary matrix, exact (Cholesky) or conjugate-gradient
 * row solves, Gramian trick; scores x_u·y_i over the whole catalogue.
 */
export const ials: ModelDefinition<IalsConfig> = {
  type: "ials",
  modules: [import.meta.url],
  description: "implicit ALS matrix factorisation (Hu et al. 2008), confidence 1 + alpha",
  config: ialsConfigSchema,
  fit: fitIals,
  recommend(config, params, data, request, ctx) {
    return recommendFactors(
      "ials",
      factorScores(config.factors, params, data, null),
      request,
      config.threads,
      ctx,
    );
  },
};

/** The fitted factors of a parameter table, checked against the data's sizes. */
export function factorScores(
  factors: number,
  params: Table,
  data: TrainData,
  biasColumn: string | null,
): FactorScores {
  const column = (name: string, length: number) => {
    const values = params[name];
    if (!(values instanceof Float64Array) || values.length !== length) {
      throw new Error(
        `factor params: column "${name}" should be Float64 with ${length} values ` +
          `(got ${values?.length ?? "none"}): fitted on other data?`,
      );
    }
    return values;
  };
  return {
    factors,
    nItems: data.nItems,
    userFactors: column("user_factors", data.nUsers * factors),
    itemFactors: column("item_factors", data.nItems * factors),
    itemBias: biasColumn === null ? null : column(biasColumn, data.nItems),
  };
}
