import { z } from "zod";
import { implicitFields } from "../implicit/interactions.ts";

/** The per-epoch dev ranking curve the factor models share (dev_ndcg.ts). */
export const devCurveFields = {
  /** dev users (with a dev row) whose ndcg@dev_k is averaged after each epoch; 0: none */
  dev_users: z.number().int().min(0).default(2000),
  dev_k: z.number().int().min(1).default(10),
};

/** Web Workers for the steps whose rows are independent (see each model's notes). */
export const threadsField = {
  threads: z.number().int().min(1).max(64).default(1),
};

/**
 * iALS (Hu, Koren, Volinsky 2008), with the tuning options of Rendle et al. 2022. Confidence
 * c_ui = 1 + alpha for an interaction of X (the thresholded, deduplicated training ratings)
 * and 1 elsewhere; loss Σ_ui c_ui (p_ui − x_u·y_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖².
 */
export const ialsConfigSchema = z.strictObject({
  ...implicitFields,
  factors: z.number().int().min(1).max(1024).default(64),
  alpha: z.number().min(0).finite().default(10),
  /** λ; with reg_scaling frequency it multiplies (Σ_j c_rj)^reg_exponent per row */
  reg: z.number().positive().finite().default(0.1),
  /**
   * none: λ for every row; frequency (Rendle et al. 2022): λ_u = λ·(Σ_i c_ui)^ν =
   * λ·(|I| + α·|I_u|)^ν for users, λ_i = λ·(|U| + α·|U_i|)^ν for items
   */
  reg_scaling: z.enum(["none", "frequency"]).default("none"),
  /** ν of reg_scaling frequency */
  reg_exponent: z.number().min(0).finite().default(1),
  epochs: z.number().int().min(1).default(10),
  /** cholesky: exact solve per row (O(f³) + O(n_u f²)); cg: conjugate gradient, warm-started */
  solver: z.enum(["cholesky", "cg"]).default("cg"),
  cg_steps: z.number().int().min(1).default(3),
  /** std of the normal initialisation; null: 0.1 / sqrt(factors) (Rendle et al. 2022) */
  init_std: z.number().min(0).finite().nullable().default(null),
  ...devCurveFields,
  /** row solves in workers; results are identical for any thread count */
  ...threadsField,
});

export type IalsConfig = z.output<typeof ialsConfigSchema>;

export function initStd(config: { init_std: number | null; factors: number }): number {
  return config.init_std ?? 0.1 / Math.sqrt(config.factors);
}
