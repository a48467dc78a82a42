import { z } from "zod";
import { LauncherSchema } from "../slurm/launcher_options.ts";

/** A distribution a random sweep draws one value of a field from. */
export const DistributionSchema = z.union([
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ loguniform: z.tuple([z.number().positive(), z.number().positive()]) }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ choice: z.array(z.unknown()).min(1) }),
]);

/**
 * `sweep:` in a spec: trials that each override fields of the spec by dotted path.
 * grid: every combination of the listed values; random: `trials` draws from the
 * distributions, seeded.
 */
export const SweepSchema = z.strictObject({
  method: z.enum(["grid", "random"]).default("grid"),
  /** dotted path -> the values to try */
  grid: z.record(z.string(), z.array(z.unknown())).default({}),
  /** dotted path -> distribution */
  random: z.record(z.string(), DistributionSchema).default({}),
  /** number of random trials */
  trials: z.number().int().min(1).nullable().default(null),
  /** seed of the random draws (not the experiment's) */
  seed: z.number().int().nonnegative().default(0),
  /**
   * the metric that chooses the best trial, `<part>.<metric>`; null: dev.ndcg@10 when the
   * trials have it (choose on dev, report test)
   */
  select: z.string().nullable().default(null),
  /** where the trials run (local processes, or a Slurm job array); see launcher_options.ts */
  launcher: LauncherSchema.nullable().default(null),
});

export type Sweep = z.output<typeof SweepSchema>;
