/**
 * Full-catalogue top-k of the factor models (ials, bpr) without a per-user score vector: a
 * block of users is scored by svdpp's WebAssembly SIMD kernel (block_dots.ts), whose
 * `scores` pass adds the item bias, and lists only the items that can still enter some
 * user's top-k (a score at or above that user's floor); only those reach the shared top-k
 * heaps (../top_k.ts). Excluded (user, item) scores are overwritten with NaN first, which
 * reaches no floor.
 *
 * Same lists as scoring each user into a vector and selecting (recommend_by_scores.ts):
 * each dot product is summed factor by factor from 0 in Float64 either way; the kernel's
 * (0 + b_i) + dot equals dot + b_i (or dot, without a bias) up to the sign of a zero, which
 * no comparison sees; and a top-k of distinct items under a total order does not depend
 * on the offer order. Scores that are NaN are never offered, as there.
 */
import type { RecommendRequest } from "../model.ts";
import { type BlockDots, blockDots } from "../svdpp/block_dots.ts";
import { TopK } from "../top_k.ts";
import type { FactorScores } from "./factor_scores.ts";

/** Users scored per kernel call (as svdpp's USER_BLOCK). */
const BLOCK = 64;
/** Items per scores() pass: the floors catch up with the heaps between passes. */
const SLICE = 512;

export class FactorBlockRanker {
  readonly #model: FactorScores;
  readonly #request: RecommendRequest;
  readonly #dots: BlockDots;
  readonly #tops: TopK[];
  readonly #vectors: Float64Array;
  readonly #base = new Float64Array(BLOCK);
  readonly #floors = new Float64Array(BLOCK);
  readonly #listed = new Int32Array(SLICE);

  /** For requests over the whole catalogue (`candidates` null). */
  constructor(model: FactorScores, request: RecommendRequest) {
    if (request.candidates !== null) throw new Error("FactorBlockRanker: candidates not null");
    const { nItems, factors, itemFactors, itemBias } = model;
    this.#model = model;
    this.#request = request;
    this.#dots = blockDots(
      itemFactors,
      itemBias ?? new Float64Array(nItems),
      nItems,
      factors,
      BLOCK,
    );
    this.#tops = Array.from({ length: BLOCK }, () => new TopK(request.k));
    this.#vectors = new Float64Array(BLOCK * factors);
  }

  /**
   * Writes the lists of request.users[from .. to) to out[from * k ..); `onProgress(done)`
   * after each block, `done` counted from `from`.
   */
  run(from: number, to: number, out: Int32Array, onProgress?: (done: number) => void): void {
    const { users, k } = this.#request;
    const f = this.#model.factors;
    const userFactors = this.#model.userFactors;
    const tops = this.#tops;
    for (let first = from; first < to; first += BLOCK) {
      const block = Math.min(BLOCK, to - first);
      for (let b = 0; b < block; b++) {
        const u = users[first + b];
        this.#vectors.set(userFactors.subarray(u * f, u * f + f), b * f);
        tops[b].reset();
      }
      const { dots, stride } = this.#dots.compute(this.#vectors, block);
      this.#exclude(first, block, dots, stride);
      this.#select(block, dots, stride);
      for (let b = 0; b < block; b++) tops[b].writeTo(out, (first + b) * k);
      onProgress?.(first + block - from);
    }
  }

  /** Overwrites the block's excluded (user, item) dot products with NaN. */
  #exclude(first: number, block: number, dots: Float64Array, stride: number): void {
    const { users, exclude } = this.#request;
    if (exclude === null) return;
    const nItems = this.#model.nItems;
    for (let b = 0; b < block; b++) {
      const user = users[first + b];
      for (let e = exclude.offsets[user]; e < exclude.offsets[user + 1]; e++) {
        const item = exclude.values[e];
        if (item >= 0 && item < nItems) dots[item * stride + b] = NaN;
      }
    }
  }

  /** Offers every listed (user, item) score at or above the user's floor to its heap. */
  #select(block: number, dots: Float64Array, stride: number): void {
    const tops = this.#tops;
    const floors = this.#floors.fill(-Infinity);
    const base = this.#base; // zeros: score = (0 + b_i) + dot
    const listed = this.#listed;
    const nItems = this.#model.nItems;
    for (let from = 0; from < nItems; from += SLICE) {
      const to = Math.min(nItems, from + SLICE);
      const count = this.#dots.scores(from, to, base, floors, -Infinity, Infinity, listed);
      for (let l = 0; l < count; l++) {
        const item = listed[l];
        const row = item * stride;
        for (let b = 0; b < block; b++) {
          const score = dots[row + b];
          if (score >= floors[b]) {
            tops[b].offer(score, item);
            floors[b] = tops[b].floor;
          }
        }
      }
    }
  }
}
