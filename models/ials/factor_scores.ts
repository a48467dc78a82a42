/**
 * Scores of a factor model over the whole catalogue, score(u, i) = x_u·y_i (+ b_i), for a
 * sequence of users known in advance (the order recommend_by_scores.ts visits them): blocks
 * of users are scored at once by svdpp's WebAssembly SIMD kernel (block_dots.ts), whose dot
 * products are summed factor by factor from 0 in Float64 exactly as the scalar loop would,
 * so a score does not depend on the block a user falls in. Shared by ials and bpr.
 */
import { blockDots } from "../svdpp/block_dots.ts";

/** Users scored together: one kernel pass (as svdpp's USER_BLOCK). */
const BLOCK = 64;

export interface FactorScores {
  factors: number;
  nItems: number;
  /** users x factors (dense user index) */
  userFactors: Float64Array;
  /** nItems x factors */
  itemFactors: Float64Array;
  /** per item, added to the dot product; null: none */
  itemBias: Float64Array | null;
}

/**
 * `score(u, out)` for `users[0]`, `users[1]`, ... in that order (each call must name the
 * next user): fills out[i] = x_u·y_i (+ b_i) for every item.
 */
export function sequentialScorer(
  model: FactorScores,
  users: Int32Array,
): (user: number, out: Float64Array) => void {
  const { factors: f, nItems, userFactors, itemFactors, itemBias } = model;
  const zeros = new Float64Array(nItems);
  const kernel = blockDots(itemFactors, zeros, nItems, f, BLOCK);
  const vectors = new Float64Array(BLOCK * f);
  let dots: Float64Array = new Float64Array(0);
  let stride = 0;
  let next = 0;
  return (user, out) => {
    if (users[next] !== user) {
      throw new Error(`factor scores: asked for user ${user}, expected ${users[next]}`);
    }
    const b = next % BLOCK;
    if (b === 0) {
      const block = Math.min(BLOCK, users.length - next);
      for (let k = 0; k < block; k++) {
        vectors.set(userFactors.subarray(users[next + k] * f, users[next + k] * f + f), k * f);
      }
      ({ dots, stride } = kernel.compute(vectors, block));
    }
    next++;
    if (itemBias === null) { for (let i = 0; i < nItems; i++) out[i] = dots[i * stride + b]; }
    else for (let i = 0; i < nItems; i++) out[i] = dots[i * stride + b] + itemBias[i];
  };
}

/** One score computed the plain way (tests compare the kernel with it). */
export function scoreOne(model: FactorScores, user: number, item: number): number {
  const f = model.factors;
  let dot = 0;
  for (let x = 0; x < f; x++) {
    dot += model.itemFactors[item * f + x] * model.userFactors[user * f + x];
  }
  return model.itemBias === null ? dot : dot + model.itemBias[item];
}
