import { z } from "zod";
import { implicitFields } from "../implicit/interactions.ts";
import { devCurveFields, threadsField } from "../ials/config.ts";

/**
 * BPR-MF (Rendle et al. 2009): x_uij = x_u·(y_i − y_j) + b_i − b_j for a positive i of u
 * and a uniformly drawn negative j, maximising Σ ln σ(x_uij) − reg‖Θ‖² by SGD.
 */
export const bprConfigSchema = z.strictObject({
  ...implicitFields,
  factors: z.number().int().min(1).max(1024).default(64),
  lr: z.number().positive().finite().default(0.05),
  /** one L2 weight for user factors, item factors and item biases */
  reg: z.number().min(0).finite().default(0.0025),
  epochs: z.number().int().min(1).default(10),
  /** (u, i, j) triples per epoch; null: the number of interactions */
  samples_per_epoch: z.number().int().min(1).nullable().default(null),
  /** std of the normal initialisation of the factors (biases start at 0) */
  init_std: z.number().min(0).finite().default(0.1),
  ...devCurveFields,
  /**
   * SGD in workers ("Hogwild": lock-free on shared parameters, each worker its own seeded
   * stream of triples): NOT bit-reproducible with threads > 1; top-k lists are exact
   */
  ...threadsField,
});

export type BprConfig = z.output<typeof bprConfigSchema>;
