/**
 * The neighbourhood kernel of ItemKNN, UserKNN and RP3beta: the similarity matrix is never
 * held, only each column's best k. The co-occurrence C_eo = sum over the links l shared by
 * entities e and o (users shared by two items, or items shared by two users) of a per-link
 * weight is symmetric, so each pair is summed once: for entity e, through each of its links,
 * over the entities o > e of that link (lists are ascending), into a dense accumulator. The
 * pair then offers its value to e's heap and to o's (top_k.ts's heap kernel on flat arrays).
 * Cost: half the sum over links of (link degree)^2, e.g. over users of (items rated)^2 / 2.
 *
 * A thread owns one set of heaps; the sets are merged at the end. The best k of a set of
 * (value, index) pairs does not depend on how the offers were split or ordered, so the result
 * is the same for any thread count, and equals the per-column definition.
 */
import { heapOffer, heapSort, TopK } from "../top_k.ts";

/** The binary matrix seen from the side whose similarities are computed. */
export interface NeighbourGraph {
  /** entities (items for ItemKNN / RP3beta, users for UserKNN) */
  n: number;
  /** entity e's links (its users) are links[offsets[e] .. offsets[e + 1]), ascending */
  offsets: Int32Array;
  links: Int32Array;
  /** link l's entities (that user's items) are linked[linkOffsets[l] .. linkOffsets[l + 1]), ascending */
  linkOffsets: Int32Array;
  linked: Int32Array;
  /** for each entry p of links (entity e, link l): where e sits in l's list (linked[at] = e) */
  linkPosition: Int32Array;
}

/** The graph of a CSR pair (entity -> links, link -> entities), both lists ascending. */
export function neighbourGraph(
  offsets: Int32Array,
  links: Int32Array,
  linkOffsets: Int32Array,
  linked: Int32Array,
): NeighbourGraph {
  const n = offsets.length - 1;
  const linkPosition = new Int32Array(links.length);
  const cursor = offsets.slice(0, n);
  // links ascending: entity e meets its links in the order they are listed in links
  for (let l = 0; l + 1 < linkOffsets.length; l++) {
    for (let q = linkOffsets[l]; q < linkOffsets[l + 1]; q++) linkPosition[cursor[linked[q]]++] = q;
  }
  return { n, offsets, links, linkOffsets, linked, linkPosition };
}

/** How a co-occurrence sum becomes a similarity. */
export type Measure =
  /** cosine with shrinkage: C / (norm[e] * norm[o] + shrink), every link weighing 1 */
  | { kind: "cosine"; norms: Float64Array; shrink: number }
  /**
   * a product: rowFactor[e] * C * columnFactor[o] in row e, each link l weighing
   * linkWeight[l] (RP3beta: pop_e^-alpha * (sum_u n_u^-alpha) * pop_o^-beta)
   */
  | {
    kind: "product";
    linkWeight: Float64Array;
    rowFactor: Float64Array;
    columnFactor: Float64Array;
  };

/**
 * A bounded heap per entity on flat arrays: entity e's at keys/values[e * k .. e * k + k),
 * `size[e]` entries, `floor[e]` the value an offer must reach (-Infinity until full).
 */
export interface NeighbourHeaps {
  n: number;
  k: number;
  size: Int32Array;
  floor: Float64Array;
  keys: Int32Array;
  values: Float64Array;
}

export function emptyHeaps(
  n: number,
  k: number,
  alloc: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): NeighbourHeaps {
  const floor = new Float64Array(alloc(n * 8));
  floor.fill(-Infinity);
  return {
    n,
    k,
    size: new Int32Array(alloc(n * 4)),
    floor,
    keys: new Int32Array(alloc(n * k * 4)),
    values: new Float64Array(alloc(n * k * 8)),
  };
}

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

/** One thread's working memory. */
export interface NeighbourScratch {
  sums: Float64Array;
  touched: Int32Array;
}

export function neighbourScratch(n: number): NeighbourScratch {
  // touched: one past the last entity is written (branch-free listing)
  return { sums: new Float64Array(n), touched: new Int32Array(n + 1) };
}

/**
 * Sums the pairs (e, o > e) for e in from .. to and offers each pair's values to the heaps of
 * e and o: similarity 0 (no shared link) is never kept, nor S_ee. The scratch is left zeroed.
 * Returns the work done in progress units (pairWork).
 */
export function computeNeighbours(
  graph: NeighbourGraph,
  measure: Measure,
  heaps: NeighbourHeaps,
  from: number,
  to: number,
  scratch: NeighbourScratch,
): number {
  const { n, offsets, links, linkOffsets, linked, linkPosition } = graph;
  let work = 0;
  const { sums, touched } = scratch;
  const weights = measure.kind === "product" ? measure.linkWeight : null;
  for (let e = from; e < to; e++) {
    // entities o > e reached: a dense scan over e + 1 .. n beats listing them when many are
    let volume = 0;
    for (let p = offsets[e]; p < offsets[e + 1]; p++) {
      volume += linkOffsets[links[p] + 1] - linkPosition[p] - 1;
    }
    work += pairWork(volume, n - e);
    if (volume === 0) continue;
    const dense = 2 * volume > n - e;
    let count = 0;
    for (let p = offsets[e]; p < offsets[e + 1]; p++) {
      const link = links[p];
      const w = weights === null ? 1 : weights[link];
      // a zero weight adds nothing; skipping it keeps "sum > 0" meaning "reached"
      if (!(w > 0)) continue;
      const end = linkOffsets[link + 1];
      if (dense) {
        for (let q = linkPosition[p] + 1; q < end; q++) sums[linked[q]] += w;
      } else {
        for (let q = linkPosition[p] + 1; q < end; q++) {
          const o = linked[q];
          const sum = sums[o];
          // branch-free: a mispredicted "first time?" branch costs more than the add
          touched[count] = o;
          count += +(sum === 0);
          sums[o] = sum + w;
        }
      }
    }
    if (dense) {
      for (let o = e + 1; o < n; o++) {
        const sum = sums[o];
        if (sum !== 0) {
          sums[o] = 0;
          offerPair(measure, heaps, e, o, sum);
        }
      }
    } else {
      for (let t = 0; t < count; t++) {
        const o = touched[t];
        const sum = sums[o];
        sums[o] = 0;
        offerPair(measure, heaps, e, o, sum);
      }
    }
  }
  return work;
}

/**
 * Progress units of one entity: thousands of additions plus the scan, so that the rate and
 * ETA stay true although the first entities (the popular ones, with the most pairs) cost most.
 */
export function pairWork(volume: number, later: number): number {
  return Math.round((volume + later) / 1000);
}

/** The progress units of all entities (what computeNeighbours returns over 0 .. n). */
export function totalPairWork(graph: NeighbourGraph): number {
  const { n, offsets, links, linkOffsets, linkPosition } = graph;
  let work = 0;
  for (let e = 0; e < n; e++) {
    let volume = 0;
    for (let p = offsets[e]; p < offsets[e + 1]; p++) {
      volume += linkOffsets[links[p] + 1] - linkPosition[p] - 1;
    }
    work += pairWork(volume, n - e);
  }
  return work;
}

/** Offers S_eo to e's heap and S_oe to o's, for a co-occurrence sum > 0. */
function offerPair(measure: Measure, heaps: NeighbourHeaps, e: number, o: number, sum: number) {
  let eo: number;
  let oe: number;
  if (measure.kind === "cosine") {
    eo = oe = sum / (measure.norms[e] * measure.norms[o] + measure.shrink);
  } else {
    const { rowFactor, columnFactor } = measure;
    eo = rowFactor[e] * sum * columnFactor[o];
    oe = rowFactor[o] * sum * columnFactor[e];
  }
  const { floor } = heaps;
  if (eo >= floor[e] && eo > 0) offerTo(heaps, e, eo, o);
  if (oe >= floor[o] && oe > 0) offerTo(heaps, o, oe, e);
}

function offerTo(heaps: NeighbourHeaps, h: number, value: number, key: number): void {
  const { k, size, floor, keys, values } = heaps;
  const base = h * k;
  size[h] = heapOffer(values, keys, base, size[h], k, value, key);
  if (size[h] === k) floor[h] = values[base];
}

/** The union of the threads' heaps, each entity's best k sorted best first. */
export function mergeHeaps(sets: NeighbourHeaps[]): NeighbourSlots {
  const { n, k } = sets[0];
  const count = new Int32Array(n);
  const index = new Int32Array(n * k);
  const value = new Float64Array(n * k);
  const top = new TopK(k);
  for (let e = 0; e < n; e++) {
    const base = e * k;
    if (sets.length === 1) {
      const { size, keys, values } = sets[0];
      index.set(keys.subarray(base, base + size[e]), base);
      value.set(values.subarray(base, base + size[e]), base);
      heapSort(value, index, base, size[e]);
      count[e] = size[e];
      continue;
    }
    top.reset();
    for (const { size, keys, values } of sets) {
      for (let p = base; p < base + size[e]; p++) {
        if (values[p] >= top.floor) top.offer(values[p], keys[p]);
      }
    }
    const kept = top.sorted();
    index.set(top.keys.subarray(0, kept), base);
    value.set(top.scores.subarray(0, kept), base);
    count[e] = kept;
  }
  return { n, k, count, index, value };
}
