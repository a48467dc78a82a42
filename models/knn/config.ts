import { z } from "zod";
import { implicitFields } from "../implicit/interactions.ts";

/** Fields every neighbourhood model shares. */
const neighbourFields = {
  /** neighbours kept per column (ItemKNN, UserKNN) or per row (RP3beta) of the similarity */
  k_neighbors: z.number().int().min(1).default(100),
  /** worker threads for the similarity and the lists; the results do not depend on it */
  threads: z.number().int().min(1).max(64).default(1),
  ...implicitFields,
};
/** The fields every neighbourhood model's config has (what neighbourhood_model.ts reads). */
export type NeighbourConfig = z.output<z.ZodObject<typeof neighbourFields>>;

/** ItemKNN and UserKNN: cosine similarity with shrinkage. */
export const knnConfigSchema = z.strictObject({
  ...neighbourFields,
  /** added to the denominator of the cosine: S = x_a.x_b / (|x_a| |x_b| + shrink) */
  shrink: z.number().min(0).default(10),
});
export type KnnConfig = z.output<typeof knnConfigSchema>;

/** RP3beta: random walk of three steps, popularity penalised. */
export const rp3betaConfigSchema = z.strictObject({
  ...neighbourFields,
  /** exponent of the transition probabilities */
  alpha: z.number().min(0).default(1),
  /** the popularity penalty: column j is divided by popularity_j^beta */
  beta: z.number().min(0).default(0.5),
});
export type Rp3betaConfig = z.output<typeof rp3betaConfigSchema>;
