/** Which way a metric improves: `compare` and `report` mark the best value by it. */
export type Better = "higher" | "lower";

/**
 * What a metric needs from an evaluation besides the lists and the truth: the items each
 * user's list could not hold (`excluded_items`: the seen items a recommender left out), or
 * item features (`item_features`: genre ids per item). The planner supplies them when asked.
 */
export type MetricNeed = "excluded_items" | "item_features";

/** What every metric says about itself besides how it is computed. */
export interface MetricInfo {
  /** the name specs use (lower-case letters, digits and "_"), e.g. "ndcg" */
  name: string;
  description: string;
  better: Better;
  /** scored when a spec names no metrics (and the model produces what the metric needs) */
  byDefault?: boolean;
  /** inputs beyond the lists and the truth, if any */
  needs?: readonly MetricNeed[];
}
