/**
 * Top-k recommendation for any model that can score the whole catalogue for one user: the
 * request's candidates (or every item), minus the user's excluded items, best first. Equal
 * scores rank the lower item index first (order of first appearance in the data). Dense
 * scores go through recommendByScores, sparse ones (most items at 0) through
 * SparseScoreRanker; both select with the shared top-k (../top_k.ts).
 */
import type { RecommendRequest } from "../model.ts";
import { beats, selectTopK, TopK } from "../top_k.ts";

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

/**
 * The top-k of users whose scores are sparse: the items a user's scorer touched have their
 * score, every other item scores 0 (a neighbourhood model's X·S). The nonzero scores go through
 * the shared top-k; the items at 0 follow in ascending index order, merged in by the same tie
 * rule, so the lists equal a dense top-k over all candidates (ties to the lower index) at a
 * cost linear in the touched items, not in the catalogue. One ranker per thread.
 */
export class SparseScoreRanker {
  readonly #request: RecommendRequest;
  readonly #top: TopK;
  /** 1 for each candidate item (null: every item is one) */
  readonly #isCandidate: Uint8Array | null;
  /** the candidates ascending: the order of the items at 0 (null: 0 .. nItems - 1) */
  readonly #zeroOrder: Int32Array | null;
  readonly #nItems: number;
  /** per item, the stamp of the last user that excluded it */
  readonly #excludedBy: Int32Array;
  #stamp = 0;

  constructor(nItems: number, request: RecommendRequest) {
    this.#request = request;
    this.#nItems = nItems;
    this.#top = new TopK(request.k);
    this.#excludedBy = new Int32Array(nItems);
    const { candidates } = request;
    if (candidates === null) {
      this.#isCandidate = null;
      this.#zeroOrder = null;
    } else {
      const mask = new Uint8Array(nItems);
      for (let c = 0; c < candidates.length; c++) {
        const item = candidates[c];
        if (!(item >= 0 && item < nItems)) {
          throw new Error(`recommend: candidates[${c}] = ${item} is outside 0..${nItems - 1}`);
        }
        mask[item] = 1;
      }
      let count = 0;
      for (let i = 0; i < nItems; i++) count += mask[i];
      const order = new Int32Array(count);
      for (let i = 0, c = 0; i < nItems; i++) if (mask[i]) order[c++] = i;
      this.#isCandidate = mask;
      this.#zeroOrder = order;
    }
  }

  /**
   * Writes the list of request.users[r] to out[r * k ..): `scores` holds its scores, nonzero
   * only at touched[0 .. count) (listing a zero is harmless), or anywhere when count is -1
   * (the catalogue is scanned). Zeroes them for the next user.
   */
  rank(r: number, scores: Float64Array, touched: Int32Array, count: number, out: Int32Array): void {
    const { users, k, exclude } = this.#request;
    const stamp = ++this.#stamp;
    const excludedBy = this.#excludedBy;
    const isCandidate = this.#isCandidate;
    const top = this.#top;
    if (exclude) {
      const u = users[r];
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) {
        excludedBy[exclude.values[p]] = stamp;
      }
    }
    top.reset();
    const zeroOrder = this.#zeroOrder;
    if (count >= 0) {
      for (let t = 0; t < count; t++) {
        const item = touched[t];
        const score = scores[item];
        if (
          score >= top.floor && score !== 0 && excludedBy[item] !== stamp &&
          (isCandidate === null || isCandidate[item] === 1)
        ) {
          top.offer(score, item);
        }
      }
    } else if (zeroOrder === null) {
      for (let item = 0; item < scores.length; item++) {
        const score = scores[item];
        if (score >= top.floor && score !== 0 && excludedBy[item] !== stamp) {
          top.offer(score, item);
        }
      }
    } else {
      for (let c = 0; c < zeroOrder.length; c++) {
        const item = zeroOrder[c];
        const score = scores[item];
        if (score >= top.floor && score !== 0 && excludedBy[item] !== stamp) {
          top.offer(score, item);
        }
      }
    }
    // merge the nonzero scores' top-k with the candidates at 0, taken by ascending index
    const kept = top.sorted();
    const zeros = zeroOrder === null ? this.#nItems : zeroOrder.length;
    let a = 0;
    let z = 0;
    for (let slot = 0; slot < k; slot++) {
      let zero = -1;
      for (; z < zeros; z++) {
        const item = zeroOrder === null ? z : zeroOrder[z];
        if (excludedBy[item] !== stamp && scores[item] === 0) {
          zero = item;
          break;
        }
      }
      let item = -1;
      if (a < kept && (zero < 0 || beats(top.scores[a], top.keys[a], 0, zero))) {
        item = top.keys[a++];
      } else if (zero >= 0) {
        item = zero;
        z++;
      }
      out[r * k + slot] = item;
    }
    if (count >= 0) { for (let t = 0; t < count; t++) scores[touched[t]] = 0; }
    else scores.fill(0);
  }
}
