import { z } from "zod";
import { implicitFields } from "../implicit/interactions.ts";

export const puresvdConfigSchema = z.strictObject({
  /** f: the number of right singular vectors of X kept */
  factors: z.number().int().min(1).default(50),
  /** power (subspace) iterations of the randomized SVD; each squares the spectral gap's effect */
  iterations: z.number().int().min(0).default(10),
  /** extra columns of the random subspace beyond `factors` (Halko et al. recommend 5-10) */
  oversampling: z.number().int().min(0).default(10),
  ...implicitFields,
});

export type PureSvdConfig = z.output<typeof puresvdConfigSchema>;
