/**
 * Top-k recommendation for any model that can score the whole catalogue for one user: the
 * request's candidates (or every item), minus the user's excluded items, best first. Equal
 * scores rank the lower item index first (order of first appearance in the data).
 */
import type { RecommendRequest } from "../model.ts";
import { selectTopK } from "../top_k.ts";

/**
 * `scoreUser(u, scores)` fills `scores` (one entry per item, reused between users) for dense
 * user u. Excluded items are set to -Infinity before the top-k, so they never appear; a user
 * with fewer than k candidates gets -1 in the remaining places.
 */
export function recommendByScores(
  nItems: number,
  request: RecommendRequest,
  scoreUser: (user: number, scores: Float64Array) => void,
  onProgress?: (done: number, total: number) => void,
): Int32Array {
  const { users, k, exclude, candidates } = request;
  const out = new Int32Array(users.length * k).fill(-1);
  const scores = new Float64Array(nItems);
  const excluded = new Uint8Array(nItems);
  // The candidates left after exclusion, per user (reused).
  const pool = new Int32Array(candidates ? candidates.length : nItems);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    scoreUser(u, scores);
    if (exclude) {
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) {
        excluded[exclude.values[p]] = 1;
      }
    }
    let n = 0;
    if (candidates) {
      for (let c = 0; c < candidates.length; c++) {
        if (!excluded[candidates[c]]) pool[n++] = candidates[c];
      }
    } else {
      for (let i = 0; i < nItems; i++) if (!excluded[i]) pool[n++] = i;
    }
    const top = selectTopK(scores, k, pool.subarray(0, n));
    out.set(top, r * k);
    if (exclude) {
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) {
        excluded[exclude.values[p]] = 0;
      }
    }
    if (onProgress && (r & 1023) === 1023) onProgress(r + 1, users.length);
  }
  onProgress?.(users.length, users.length);
  return out;
}
