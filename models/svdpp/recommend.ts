import type { RecommendRequest } from "../model.ts";
import { TIE_ORDERS } from "../recommender_fields.ts";
import { type BlockDots, blockDots } from "./block_dots.ts";
import { clip, userVector } from "./estimate.ts";
import type { FactorModel } from "./factors.ts";
import { newRow, TieKeys, type TieRow } from "./tie_keys.ts";
import { TopK } from "../top_k.ts";
import type { Trainset } from "./trainset.ts";

/**
 * Users scored per kernel call: their vectors (64 x 80 doubles = 40 KB) stay in the core's
 * cache while the candidates' factors stream past once per block.
 */
export const USER_BLOCK = 64;

/**
 * Top-k dense items per user by predicted rating, over `request.candidates` (deduplicated)
 * or the whole catalogue, minus each user's `request.exclude` items. Scores are the clipped
 * estimates of predict.ts (so items clipped to the top of the scale tie), and ties go by
 * `request.ties` (tie_keys.ts: by default to the lower dense item index; the python orders
 * hash `itemIds`), a key per candidate that the top-k compares. Unknown users get mu + b_i
 * and unknown items mu + b_u, as in Surprise. Users are scored in blocks against every
 * candidate's factors (block_dots.ts), so the item factors stream from memory once per
 * block of users; for a biased model the kernel also adds the biases, clips, and passes on
 * only the candidates that can still enter a user's top-k.
 */
export function recommendTopK(
  model: FactorModel,
  ts: Trainset,
  nUsers: number,
  nItems: number,
  scale: readonly [number, number],
  request: RecommendRequest,
  itemIds: Int32Array,
): Int32Array {
  checkRequest(request, nUsers, nItems, itemIds);
  const out = new Int32Array(request.users.length * request.k);
  new BlockRecommender(model, ts, nItems, scale, request, itemIds)
    .run(0, request.users.length, out);
  return out;
}

/** Throws on a request that does not fit the data, naming the bad field. */
export function checkRequest(
  request: RecommendRequest,
  nUsers: number,
  nItems: number,
  itemIds: Int32Array,
): void {
  const { users, k, exclude } = request;
  if (itemIds.length < nItems) {
    throw new Error(`svdpp recommend: ${itemIds.length} item ids for ${nItems} items`);
  }
  if (request.ties !== undefined && !TIE_ORDERS.includes(request.ties)) {
    throw new Error(`svdpp recommend: ties = ${request.ties} is not one of ${TIE_ORDERS}`);
  }
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
  uniqueCandidates(request.candidates, nItems);
}

/** What scoring reads of the trainset: the id maps and each user's rated items. */
export type ScoringSet = Pick<Trainset, "userInner" | "itemInner" | "offsets" | "items">;

/**
 * The candidates gathered once, then any slice of the request's users scored. A user's list
 * depends only on that user (each dot product is its own SIMD lane), so slices can be scored
 * in any order, by any worker, with the same result. Expects a checked request.
 */
export class BlockRecommender {
  readonly #model: FactorModel;
  readonly #ts: ScoringSet;
  readonly #nItems: number;
  readonly #scale: readonly [number, number];
  readonly #request: RecommendRequest;
  readonly #catalogue: Catalogue;
  readonly #positionOf: Int32Array;
  readonly #dotsOf: BlockDots;
  readonly #ties: TieKeys;

  constructor(
    model: FactorModel,
    ts: ScoringSet,
    nItems: number,
    scale: readonly [number, number],
    request: RecommendRequest,
    itemIds: Int32Array,
  ) {
    this.#model = model;
    this.#ts = ts;
    this.#nItems = nItems;
    this.#scale = scale;
    this.#request = request;
    const candidates = uniqueCandidates(request.candidates, nItems);
    const catalogue = gatherCandidates(model, ts, candidates);
    const count = catalogue.dense.length;
    this.#catalogue = catalogue;
    this.#positionOf = new Int32Array(nItems).fill(-1);
    for (let c = 0; c < count; c++) this.#positionOf[catalogue.dense[c]] = c;
    this.#dotsOf = blockDots(catalogue.factors, catalogue.bias, count, model.factors, USER_BLOCK);
    this.#ties = new TieKeys(
      request.ties ?? "item",
      candidates,
      catalogue.dense,
      this.#positionOf,
      itemIds,
    );
  }

  /** Writes the top-k of request.users[from .. to) to out[from * k .. to * k). */
  run(from: number, to: number, out: Int32Array): void {
    const model = this.#model;
    const ts = this.#ts;
    const { users, k } = this.#request;
    const factors = model.factors;
    const vectors = new Float64Array(USER_BLOCK * factors);
    const vector = new Float64Array(factors);
    const inner = new Int32Array(USER_BLOCK);
    const tops = Array.from({ length: USER_BLOCK }, () => new TopK(k));
    const ties = this.#ties;
    const rows: TieRow[] = new Array(USER_BLOCK).fill(ties.shared);
    const ownRows = ties.perUser
      ? Array.from({ length: USER_BLOCK }, () => newRow(this.#catalogue.dense.length))
      : [];
    const [low, high] = this.#scale;
    for (let first = from; first < to; first += USER_BLOCK) {
      const block = Math.min(USER_BLOCK, to - first);
      for (let b = 0; b < block; b++) {
        const u = ts.userInner[users[first + b]];
        inner[b] = u;
        if (u >= 0) userVector(model, ts, u, vector);
        else vector.fill(0);
        vectors.set(vector, b * factors);
        tops[b].reset();
        if (ties.perUser) rows[b] = ties.forUser(this.#excluded(users[first + b]), ownRows[b]);
      }
      const { dots, stride } = this.#dotsOf.compute(vectors, block);
      this.#exclude(first, block, dots, stride);
      if (model.biased && low <= high) this.#scoreBiased(inner, block, dots, stride, tops, rows);
      else scanBlock(model, inner, block, this.#catalogue, dots, stride, this.#scale, tops, rows);
      for (let b = 0; b < block; b++) tops[b].writeTo(out, (first + b) * k, rows[b].itemOf);
    }
  }

  /** The items `user` excludes (empty without exclusions). */
  #excluded(user: number): Int32Array {
    const { exclude } = this.#request;
    if (exclude === null) return new Int32Array(0);
    return exclude.values.subarray(exclude.offsets[user], exclude.offsets[user + 1]);
  }

  /** Marks the excluded (user, candidate) dot products of the block EXCLUDED. */
  #exclude(first: number, block: number, dots: Float64Array, stride: number): void {
    const { users, exclude } = this.#request;
    if (exclude === null) return;
    const nItems = this.#nItems;
    for (let b = 0; b < block; b++) {
      const user = users[first + b];
      for (let e = exclude.offsets[user]; e < exclude.offsets[user + 1]; e++) {
        const item = exclude.values[e];
        const c = item >= 0 && item < nItems ? this.#positionOf[item] : -1;
        if (c >= 0) dots[c * stride + b] = EXCLUDED;
      }
    }
  }

  /**
   * The biased model's scores, ((mu + b_u) + b_i) + dot clipped, for every user and candidate
   * at once in the kernel (block_dots.ts): an unknown user has base mu and a zero vector, an
   * unknown candidate zero b_i and factors, so the same sum gives estimate.ts's mu + b_i and
   * mu + b_u exactly (x + 0 = x). Candidates go by slices, biggest b_i first, and only those
   * a user's floor lets in reach JavaScript, so a few in a hundred once the floors have risen.
   */
  #scoreBiased(
    inner: Int32Array,
    block: number,
    dots: Float64Array,
    stride: number,
    tops: TopK[],
    rows: TieRow[],
  ): void {
    const model = this.#model;
    const [low, high] = this.#scale;
    const { dense } = this.#catalogue;
    const base = new Float64Array(block);
    const floors = new Float64Array(block).fill(-Infinity);
    for (let b = 0; b < block; b++) {
      base[b] = inner[b] >= 0 ? model.mu + model.bu[inner[b]] : model.mu;
    }
    const listed = new Int32Array(SLICE);
    for (let from = 0; from < dense.length; from += SLICE) {
      const to = Math.min(dense.length, from + SLICE);
      const count = this.#dotsOf.scores(from, to, base, floors, low, high, listed);
      for (let l = 0; l < count; l++) {
        const c = listed[l];
        const row = c * stride;
        for (let b = 0; b < block; b++) {
          const score = dots[row + b];
          if (score >= floors[b]) {
            tops[b].offer(score, rows[b].keys[c]);
            floors[b] = tops[b].floor;
          }
        }
      }
    }
  }
}

/** Candidates per scores() pass: the floors catch up with the top-k between passes. */
const SLICE = 512;

/** Written over a user's dot product to drop the candidate (a real one is never NaN). */
const EXCLUDED = NaN;

/**
 * The candidates and their parameters, gathered so the scans read them contiguously, in
 * order of b_i, highest first, so the top-k floors rise early (the order changes no list:
 * a top-k of distinct items under a total order does not depend on the offer order).
 */
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

function gatherCandidates(model: FactorModel, ts: ScoringSet, candidates: Int32Array): Catalogue {
  const f = model.factors;
  const biasOf = (item: number) => {
    const i = ts.itemInner[item];
    return i >= 0 ? model.bi[i] : 0;
  };
  const dense = Int32Array.from(candidates).sort((a, b) => biasOf(b) - biasOf(a) || a - b);
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
 * inner[b] (-1 = unknown), given the dot products dots[c * stride + b], keyed by the user's
 * tie row; EXCLUDED are skipped.
 * Items outer, users inner: the dots are read in memory order. Used where the kernel's
 * scores() does not apply (an unbiased model, or a scale whose low end is above its high).
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
  rows: TieRow[],
): void {
  // a known user of a biased model adds in estimate.ts's order: ((mu + b_u) + b_i) + dot;
  // NaN marks the other users, scored by combine()
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
      if (score >= tops[b].floor) tops[b].offer(score, rows[b].keys[c]);
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
