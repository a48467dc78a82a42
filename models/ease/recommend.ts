/**
 * EASE scores: user u's score of kept item j is sum over u's kept items i of B_ij (X . B).
 * Items outside the cap are never candidates. Top-k, exclusion and ties (lower item index
 * first) are the shared recommendByScores.
 */
import type { RecommendRequest, StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { interactions } from "../implicit/interactions.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import type { EaseConfig } from "./config.ts";
import { positions } from "./item_cap.ts";

export function recommendEase(
  config: EaseConfig,
  params: Table,
  data: TrainData,
  request: RecommendRequest,
  ctx: StepContext,
): Int32Array {
  const kept = params.items as Int32Array;
  const weights = params.weights as Float32Array | Float64Array;
  const m = kept.length;
  if (weights.length !== m * m) {
    throw new Error(`ease params: weights hold ${weights.length} values, not ${m} x ${m}`);
  }
  const { nItems } = data;
  const at = positions(kept, nItems);
  const x = interactions(data, config.threshold);
  const candidates = (request.candidates ?? Int32Array.from({ length: nItems }, (_, i) => i))
    .filter((item) => at[item] >= 0);
  const sums = new Float64Array(m);
  const scoreUser = (u: number, scores: Float64Array) => {
    sums.fill(0);
    for (let p = x.userOffsets[u]; p < x.userOffsets[u + 1]; p++) {
      const i = at[x.userItems[p]];
      if (i < 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) sums[j] += weights[row + j];
    }
    for (let j = 0; j < m; j++) scores[kept[j]] = sums[j];
  };
  return recommendByScores(
    nItems,
    { ...request, candidates },
    scoreUser,
    (done, total) => ctx.progress(done, total, "users"),
  );
}
