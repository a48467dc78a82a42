import { z } from "zod";

/**
 * Hyperparameters of the matrix-factorisation models, named as in Surprise: one learning
 * rate and one regularisation for everything, each overridable per parameter kind
 * (`lr_bu`, `reg_yj`, ...), exactly like Surprise's `lr_all` / `reg_all` and friends.
 */

const learningRate = z.number().positive().finite();
const regularisation = z.number().min(0).finite();

const shared = {
  epochs: z.number().int().min(1).default(20),
  reg: regularisation.default(0.02),
  lr_bu: learningRate.optional(),
  lr_bi: learningRate.optional(),
  lr_pu: learningRate.optional(),
  lr_qi: learningRate.optional(),
  reg_bu: regularisation.optional(),
  reg_bi: regularisation.optional(),
  reg_pu: regularisation.optional(),
  reg_qi: regularisation.optional(),
  init_mean: z.number().finite().default(0),
  init_std: z.number().min(0).finite().default(0.1),
  /**
   * Web Workers over shared memory. Scoring is exact: recommend lists and the per-epoch dev
   * RMSE are identical to threads 1. Training is NOT deterministic with threads > 1: workers
   * run lock-free ("Hogwild") SGD on shared parameters, each on its own users, so item
   * updates interleave differently from run to run (the RMSE stays close, the bits differ).
   */
  threads: z.number().int().min(1).max(64).default(1),
};

/**
 * SVD++ (Surprise `SVDpp`). `variant`:
 * - "surprise": Surprise's own loop, Float64, bit-for-bit the same order of operations
 *   (cost quadratic in a user's ratings);
 * - "fast": the same SGD, reorganised per user so an epoch is linear in the ratings
 *   (see train_fast.ts); `precision` chooses Float32 or Float64 parameter storage.
 */
export const svdppConfigSchema = z.object({
  ...shared,
  factors: z.number().int().min(1).default(20),
  lr: learningRate.default(0.007),
  lr_yj: learningRate.optional(),
  reg_yj: regularisation.optional(),
  variant: z.enum(["fast", "surprise"]).default("fast"),
  /** parameter storage of the fast variant (default float32); surprise is always float64 */
  precision: z.enum(["float32", "float64"]).optional(),
}).strict().superRefine((config, issues) => {
  if (config.variant === "surprise" && config.threads > 1) {
    issues.addIssue({
      code: "custom",
      path: ["threads"],
      message: "threads > 1 needs variant fast: variant surprise replays Surprise's " +
        "single-threaded loop",
    });
  }
  if (config.variant === "surprise" && config.precision === "float32") {
    issues.addIssue({
      code: "custom",
      path: ["precision"],
      message: "variant surprise computes in float64, as Surprise does: drop precision or " +
        "use variant fast for float32",
    });
  }
});

export type SvdppConfig = z.infer<typeof svdppConfigSchema>;

/** Biased matrix factorisation (Surprise `SVD`), with Surprise's SVD defaults. */
export const svdConfigSchema = z.object({
  ...shared,
  factors: z.number().int().min(1).default(100),
  lr: learningRate.default(0.005),
  /** false: no biases and no global mean (Surprise's `biased=False`, i.e. PMF) */
  biased: z.boolean().default(true),
  precision: z.enum(["float32", "float64"]).default("float64"),
}).strict();

export type SvdConfig = z.infer<typeof svdConfigSchema>;

/** Learning rates and regularisation of each parameter kind, overrides applied. */
export interface SgdRates {
  lrBu: number;
  lrBi: number;
  lrPu: number;
  lrQi: number;
  lrYj: number;
  regBu: number;
  regBi: number;
  regPu: number;
  regQi: number;
  regYj: number;
}

type RateConfig =
  & Pick<
    SvdppConfig,
    "lr" | "reg" | "lr_bu" | "lr_bi" | "lr_pu" | "lr_qi" | "reg_bu" | "reg_bi" | "reg_pu" | "reg_qi"
  >
  & { lr_yj?: number; reg_yj?: number };

export function resolveRates(config: RateConfig): SgdRates {
  return {
    lrBu: config.lr_bu ?? config.lr,
    lrBi: config.lr_bi ?? config.lr,
    lrPu: config.lr_pu ?? config.lr,
    lrQi: config.lr_qi ?? config.lr,
    lrYj: config.lr_yj ?? config.lr,
    regBu: config.reg_bu ?? config.reg,
    regBi: config.reg_bi ?? config.reg,
    regPu: config.reg_pu ?? config.reg,
    regQi: config.reg_qi ?? config.reg,
    regYj: config.reg_yj ?? config.reg,
  };
}
