/** Which way a metric improves: `compare` and `report` mark the best value by it. */
export type Better = "higher" | "lower";

/** What every metric says about itself besides how it is computed. */
export interface MetricInfo {
  /** the name specs use (lower-case letters, digits and "_"), e.g. "ndcg" */
  name: string;
  description: string;
  better: Better;
  /** scored when a spec names no metrics (and the model produces what the metric needs) */
  byDefault?: boolean;
}
