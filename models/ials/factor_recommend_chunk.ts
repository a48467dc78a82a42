import type { RecommendRequest } from "../model.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import { type FactorScores, sequentialScorer } from "./factor_scores.ts";

/**
 * The top-k of request.users[from .. to) into out[from * k .. to * k): the shared
 * exclude-seen top-k (recommend_by_scores.ts) over the factor scores. A user's list does
 * not depend on the chunk it is in.
 */
export function recommendChunk(
  model: FactorScores,
  request: RecommendRequest,
  from: number,
  to: number,
  out: Int32Array,
  onProgress?: (done: number, total: number) => void,
): void {
  const users = request.users.subarray(from, to);
  const lists = recommendByScores(
    model.nItems,
    { ...request, users },
    sequentialScorer(model, users),
    onProgress,
  );
  out.set(lists, from * request.k);
}
