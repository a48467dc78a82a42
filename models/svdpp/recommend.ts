import type { RecommendRequest } from "../model.ts";
import { blockDots } from "./block_dots.ts";
import { clip, userVector } from "./estimate.ts";
import type { FactorModel } from "./factors.ts";
import { TopK } from "./topk.ts";
import type { Trainset } from "./trainset.ts";

/**
 * Users scored per kernel call: their vectors (64 x 80 doubles = 40 KB) stay in the core's
 * cache while the candidates' factors stream past once per block.
 */
const USER_BLOCK = 64;

/**
 * Top-k dense items per user by predicted rating, over `request.candidates` (deduplicated)
 * or the whole catalogue, minus each user's `request.exclude` items. Scores are the clipped
 * estimates of predict.ts (so items clipped to the top of the scale tie), and ties go to the
 * lower dense item index. Unknown users get mu + b_i and unknown items mu + b_u, as in
 * Surprise. Users are scored in blocks against every candidate's factors (block_dots.ts), so
 * the item factors stream from memory once per block of users.
 */
export function recommendTopK(
  model: FactorModel,
  ts: Trainset,
  nUsers: number,
  nItems: number,
  scale: readonly [number, number],
  request: RecommendRequest,
): Int32Array {
  const { users, k, exclude } = request;
  if (!Number.isInteger(k) || k < 0) throw new Error(`svdpp recommend: k = ${k} is not a count`);
  for (let b = 0; b < users.length; b++) {
    if (!(users[b] >= 0 && users[b] < nUsers)) {
      throw new Error(`svdpp recommend: users[${b}] = ${users[b]} is outside 0..${nUsers - 1}`);
    }
  }
  if (exclude !== null && exclude.offsets.length < nUsers + 1) {
    throw new Error(
      `svdpp recommend: exclude.offsets has ${exclude.offsets.length} entries, needs ${nUsers + 1}`,
    );
  }
  const catalogue = gatherCandidates(model, ts, uniqueCandidates(request.candidates, nItems));
  const count = catalogue.dense.length;
  const positionOf = new Int32Array(nItems).fill(-1);
  for (let c = 0; c < count; c++) positionOf[catalogue.dense[c]] = c;

  const out = new Int32Array(users.length * k).fill(-1);
  const factors = model.factors;
  const dotsOf = blockDots(catalogue.factors, count, factors, USER_BLOCK);
  const vectors = new Float64Array(USER_BLOCK * factors);
  const vector = new Float64Array(factors);
  const inner = new Int32Array(USER_BLOCK);
  const tops = Array.from({ length: USER_BLOCK }, () => new TopK(k));
  for (let first = 0; first < users.length; first += USER_BLOCK) {
    const block = Math.min(USER_BLOCK, users.length - first);
    for (let b = 0; b < block; b++) {
      const u = ts.userInner[users[first + b]];
      inner[b] = u;
      if (u >= 0) userVector(model, ts, u, vector);
      else vector.fill(0);
      vectors.set(vector, b * factors);
      tops[b].reset();
    }
    const { dots, stride } = dotsOf.compute(vectors, block);
    if (exclude !== null) {
      for (let b = 0; b < block; b++) {
        const user = users[first + b];
        for (let e = exclude.offsets[user]; e < exclude.offsets[user + 1]; e++) {
          const item = exclude.values[e];
          const c = item >= 0 && item < nItems ? positionOf[item] : -1;
          if (c >= 0) dots[c * stride + b] = EXCLUDED;
        }
      }
    }
    scanBlock(model, inner, block, catalogue, dots, stride, scale, tops);
    for (let b = 0; b < block; b++) tops[b].writeTo(out, (first + b) * k);
  }
  return out;
}

/** Written over a user's dot product to drop the candidate (a real one is never NaN). */
const EXCLUDED = NaN;

/** The candidates and their parameters, gathered so the scans read them contiguously. */
interface Catalogue {
  /** dense item index of each candidate */
  dense: Int32Array;
  /** inner id of each candidate, -1 when it has no training rating */
  inner: Int32Array;
  /** b_i of each candidate (0 for unknown items) */
  bias: Float64Array;
  /** q_i rows, zero for unknown items */
  factors: Float64Array;
}

function gatherCandidates(model: FactorModel, ts: Trainset, dense: Int32Array): Catalogue {
  const f = model.factors;
  const inner = new Int32Array(dense.length);
  const bias = new Float64Array(dense.length);
  const factors = new Float64Array(dense.length * f);
  for (let c = 0; c < dense.length; c++) {
    const i = ts.itemInner[dense[c]];
    inner[c] = i;
    if (i < 0) continue;
    bias[c] = model.bi[i];
    factors.set(model.qi.subarray(i * f, (i + 1) * f), c * f);
  }
  return { dense, inner, bias, factors };
}

/**
 * Offers every candidate to each user's top-k with the clipped estimate for inner user
 * inner[b] (-1 = unknown), given the dot products dots[c * stride + b]; EXCLUDED are skipped.
 * Items outer, users inner: the dots are read in memory order.
 */
function scanBlock(
  model: FactorModel,
  inner: Int32Array,
  block: number,
  catalogue: Catalogue,
  dots: Float64Array,
  stride: number,
  scale: readonly [number, number],
  tops: TopK[],
): void {
  // the common case, known user of a biased model, adds in estimate.ts's order:
  // ((mu + b_u) + b_i) + dot; NaN marks the other users, scored by combine()
  const userBase = new Float64Array(block);
  for (let b = 0; b < block; b++) {
    userBase[b] = inner[b] >= 0 && model.biased ? model.mu + model.bu[inner[b]] : NaN;
  }
  const { dense, bias } = catalogue;
  for (let c = 0; c < dense.length; c++) {
    const itemKnown = catalogue.inner[c] >= 0;
    const itemBias = bias[c];
    const row = c * stride;
    for (let b = 0; b < block; b++) {
      const dot = dots[row + b];
      if (Number.isNaN(dot)) continue;
      const base = userBase[b];
      let score = Number.isNaN(base)
        ? combine(model, inner[b], catalogue, c, dot)
        : itemKnown
        ? base + itemBias + dot
        : base;
      score = clip(score, scale);
      if (score >= tops[b].floor) tops[b].offer(score, dense[c]);
    }
  }
}

/** estimate.ts's sum, in its order, for inner user u and candidate c with q_c . v_u known. */
function combine(
  model: FactorModel,
  u: number,
  catalogue: Catalogue,
  c: number,
  dot: number,
): number {
  const i = catalogue.inner[c];
  if (!model.biased) return u >= 0 && i >= 0 ? dot : model.mu;
  let est = model.mu;
  if (u >= 0) est += model.bu[u];
  if (i >= 0) est += model.bi[i];
  if (u >= 0 && i >= 0) est += dot;
  return est;
}

function uniqueCandidates(candidates: Int32Array | null, nItems: number): Int32Array {
  if (candidates === null) {
    const all = new Int32Array(nItems);
    for (let i = 0; i < nItems; i++) all[i] = i;
    return all;
  }
  const seen = new Uint8Array(nItems);
  const unique = new Int32Array(candidates.length);
  let n = 0;
  for (let c = 0; c < candidates.length; c++) {
    const item = candidates[c];
    if (!(item >= 0 && item < nItems)) {
      throw new Error(`svdpp recommend: candidates[${c}] = ${item} is outside 0..${nItems - 1}`);
    }
    if (seen[item]) continue;
    seen[item] = 1;
    unique[n++] = item;
  }
  return unique.subarray(0, n);
}
