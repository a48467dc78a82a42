import { z } from "zod";

/**
 * Fields every recommender shares. They shape the recommendation lists, not the fitted
 * model, so the train step's fingerprint leaves them out: changing `k` re-runs only
 * recommend and evaluate.
 */
export const recommenderFields = {
  /** length of each recommendation list, and the cutoff of the ranking metrics */
  k: z.number().int().min(1).default(10),
  /** drop items the user rated in training from its list (the study did not) */
  exclude_seen: z.boolean().default(true),
  /** `all`: the whole catalogue; `test_items`: the study's protocol, anime in the test rows */
  candidates: z.enum(["all", "test_items"]).default("all"),
};

export const recommenderFieldNames = ["type", ...Object.keys(recommenderFields)];
