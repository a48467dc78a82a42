import { z } from "zod";
import { implicitFields } from "../implicit/interactions.ts";

export const easeConfigSchema = z.strictObject({
  /** the L2 penalty lambda of Steck (2019): G = X^T X + lambda I */
  lambda: z.number().positive().finite().default(500),
  /**
   * keep only the `items` most popular items (most training interactions, ties to the lower
   * index): the dense inverse is items^2 in memory and items^3 in time; the others are never
   * recommended. null: every item
   */
  items: z.number().int().min(1).nullable().default(null),
  /** arithmetic of the Gram matrix, its inverse and the weights */
  precision: z.enum(["float32", "float64"]).default("float64"),
  /** worker threads for the inverse and the scoring (results do not depend on it) */
  threads: z.number().int().min(1).max(64).default(1),
  ...implicitFields,
});

export type EaseConfig = z.output<typeof easeConfigSchema>;
