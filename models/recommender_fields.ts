import { z } from "zod";

export const SEEN_FROM = ["train", "sample"] as const;
export type SeenFrom = (typeof SEEN_FROM)[number];

export const TIE_ORDERS = ["item", "python_set", "python_set_difference"] as const;
export type TieOrder = (typeof TIE_ORDERS)[number];

/**
 * Fields every recommender shares. They shape the recommendation lists, not the fitted
 * model, so the train step's fingerprint leaves them out: changing `k` re-runs only
 * recommend and evaluate.
 */
export const recommenderFields = {
  /** length of each recommendation list, and the cutoff of the ranking metrics */
  k: z.number().int().min(1).default(10),
  /** drop items the user rated in training from its list (the study's Top-Pop did not) */
  exclude_seen: z.boolean().default(true),
  /**
   * which training rows count as seen: `train` (absent) all of the split's; `sample` only
   * those the model was fitted on (`sample.train_frac`), as the study's SVD++ script did
   */
  seen_from: z.enum(SEEN_FROM).optional(),
  /**
   * `all`: the whole catalogue; `test_items`: the study's protocol, the anime in the (sampled)
   * test rows, for every part scored; `part_items`: the anime in the scored part's own rows
   */
  candidates: z.enum(["all", "test_items", "part_items"]).default("all"),
  /**
   * the order among equal scores: `item` (absent) the lower item index (clean items' order);
   * `python_set` CPython's iteration order of a set of the candidates' ids built in row order,
   * as the study's script iterated its candidate set; `python_set_difference` the order of
   * `candidates - seen` per user (data/rng/python_set.ts)
   */
  ties: z.enum(TIE_ORDERS).optional(),
};

export const recommenderFieldNames = ["type", ...Object.keys(recommenderFields)];
