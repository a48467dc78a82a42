/**
 * The neighbourhood kernel of ItemKNN, UserKNN and RP3beta: one row of a similarity matrix at
 * a time (X^T X one column at a time), never the whole matrix. For an entity e (an item, or a
 * user for UserKNN) it walks e's links (its users), and through each link every entity that
 * link touches (that user's items), summing a per-link weight into a dense accumulator; the
 * entities touched get their similarity to e from that sum, and only the best k are kept.
 * Cost: the sum over links of (links' degree)^2, e.g. sum over users of (items rated)^2.
 */
import { TopK } from "../top_k.ts";

/** The binary matrix seen from the side whose similarities are computed. */
export interface NeighbourGraph {
  /** entities (items for ItemKNN / RP3beta, users for UserKNN) */
  n: number;
  /** entity e's links (its users) are links[offsets[e] .. offsets[e + 1]) */
  offsets: Int32Array;
  links: Int32Array;
  /** link l's entities (that user's items) are linked[linkOffsets[l] .. linkOffsets[l + 1]) */
  linkOffsets: Int32Array;
  linked: Int32Array;
}

/** How a co-occurrence sum becomes a similarity. */
export type Measure =
  /** cosine with shrinkage: sum / (norm[e] * norm[o] + shrink), every link weighing 1 */
  | { kind: "cosine"; norms: Float64Array; shrink: number }
  /**
   * a product: rowFactor[e] * sum * columnFactor[o], each link l weighing linkWeight[l]
   * (RP3beta: pop_e^-alpha * sum_u n_u^-alpha * pop_o^-beta)
   */
  | {
    kind: "product";
    linkWeight: Float64Array;
    rowFactor: Float64Array;
    columnFactor: Float64Array;
  };

/**
 * Each entity's best k neighbours: entity e's are index/value[e * k .. e * k + count[e]),
 * best first (equal values: the lower index first).
 */
export interface NeighbourSlots {
  n: number;
  k: number;
  count: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

/** Zeroed slots for n entities and k neighbours each; `alloc` picks shared or plain memory. */
export function emptySlots(
  n: number,
  k: number,
  alloc: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): NeighbourSlots {
  return {
    n,
    k,
    count: new Int32Array(alloc(n * 4)),
    index: new Int32Array(alloc(n * k * 4)),
    value: new Float64Array(alloc(n * k * 8)),
  };
}

/**
 * Computes the neighbours of entities from .. to into `slots`: similarity 0 (no shared link)
 * and the entity itself (S_ee = 0) are never kept; among equal similarities at the cut the
 * lower index stays. Each entity's result depends on nothing else, so entities can be split
 * among threads in any way. The scratch (one per thread) is left zeroed.
 */
export function computeNeighbours(
  graph: NeighbourGraph,
  measure: Measure,
  slots: NeighbourSlots,
  from: number,
  to: number,
  scratch: NeighbourScratch,
): void {
  const { offsets, links, linkOffsets, linked } = graph;
  const { sums, touched, top } = scratch;
  const weights = measure.kind === "product" ? measure.linkWeight : null;
  for (let e = from; e < to; e++) {
    // 1. co-occurrence sums over every entity sharing a link with e
    let count = 0;
    for (let p = offsets[e]; p < offsets[e + 1]; p++) {
      const link = links[p];
      const w = weights === null ? 1 : weights[link];
      // a zero weight adds nothing; skipping it keeps "sum > 0" meaning "touched"
      if (!(w > 0)) continue;
      for (let q = linkOffsets[link]; q < linkOffsets[link + 1]; q++) {
        const o = linked[q];
        const sum = sums[o];
        // branch-free: a mispredicted "first time?" branch costs more than the add
        touched[count] = o;
        count += +(sum === 0);
        sums[o] = sum + w;
      }
    }
    // 2. similarities of the touched entities, the best k kept
    top.reset();
    if (measure.kind === "cosine") {
      const { norms, shrink } = measure;
      const own = norms[e];
      for (let t = 0; t < count; t++) {
        const o = touched[t];
        const value = sums[o] / (own * norms[o] + shrink);
        sums[o] = 0;
        if (o !== e && value > 0 && value >= top.floor) top.offer(value, o);
      }
    } else {
      const { rowFactor, columnFactor } = measure;
      const own = rowFactor[e];
      for (let t = 0; t < count; t++) {
        const o = touched[t];
        const value = own * sums[o] * columnFactor[o];
        sums[o] = 0;
        if (o !== e && value > 0 && value >= top.floor) top.offer(value, o);
      }
    }
    // 3. into e's slot, best first
    const kept = top.sorted();
    slots.count[e] = kept;
    slots.index.set(top.keys.subarray(0, kept), e * slots.k);
    slots.value.set(top.scores.subarray(0, kept), e * slots.k);
  }
}

/** One thread's working memory for computeNeighbours. */
export interface NeighbourScratch {
  sums: Float64Array;
  touched: Int32Array;
  top: TopK;
}

export function neighbourScratch(n: number, k: number): NeighbourScratch {
  // touched: one past the last entity is written (branch-free listing)
  return { sums: new Float64Array(n), touched: new Int32Array(n + 1), top: new TopK(k) };
}
