import type { RecommendRequest } from "../model.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import { FactorBlockRanker } from "./factor_block_ranker.ts";
import { type FactorScores, sequentialScorer } from "./factor_scores.ts";

/** Writes the top-k of request.users[from .. to) into out[from * k .. to * k). */
export type ChunkRecommender = (
  from: number,
  to: number,
  out: Int32Array,
  onProgress?: (done: number, total: number) => void,
) => void;

/**
 * Top-k lists by chunks of a request's users: over the whole catalogue by blocks of users
 * (factor_block_ranker.ts, set up once for every chunk), over given candidates through the
 * shared exclude-seen top-k of recommend_by_scores.ts; the same lists either way. A user's
 * list does not depend on the chunk it is in.
 */
export function chunkRecommender(model: FactorScores, request: RecommendRequest): ChunkRecommender {
  if (request.candidates === null) {
    const ranker = new FactorBlockRanker(model, request);
    return (from, to, out, onProgress) =>
      ranker.run(from, to, out, (done) => onProgress?.(done, to - from));
  }
  return (from, to, out, onProgress) => {
    const users = request.users.subarray(from, to);
    const lists = recommendByScores(
      model.nItems,
      { ...request, users },
      sequentialScorer(model, users),
      onProgress,
    );
    out.set(lists, from * request.k);
  };
}
