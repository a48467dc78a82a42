import type { MetricInfo } from "../metric_info.ts";

/**
 * What a ranking-accuracy metric sees of one user: which ranks of its list hit the
 * truth. The evaluator fills one reusable instance per user, so metrics allocate nothing.
 */
export interface UserRanking {
  /** hits[r] = 1 when the item at rank r+1 is relevant; 0 past the end of the list */
  hits: Uint8Array;
  /** the cutoff: ranks 1..k count, whatever the list's length */
  k: number;
  /** number of distinct relevant items (> 0: users without truth are never scored) */
  truthSize: number;
  /** number of items in the user's list (before any -1 padding), whatever the cutoff */
  length: number;
  /**
   * non-relevant catalogue items the list could have held: catalogue size minus the
   * relevant items minus the other excluded (seen) items; NaN unless a metric needs it
   */
  negatives: number;
}

/** A per-user ranking-accuracy metric, reported as `<name>@<k>`. */
export interface RankingMetric extends MetricInfo {
  kind: "ranking";
  perUser(user: UserRanking): number;
}

/** Number of hits in ranks 1..k. */
export function hitsAtK(user: UserRanking): number {
  let hits = 0;
  for (let r = 0; r < user.k; r++) hits += user.hits[r];
  return hits;
}
