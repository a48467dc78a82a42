/**
 * The one top-k of the project: the k best (score, key) pairs of a stream, higher score first,
 * equal scores to the lower key. A key is an item (or a neighbour) index, or its rank in a tie
 * order (svdpp/tie_keys.ts), so "ties to the lower key" is every model's documented tie rule.
 * Every ranking (recommendation lists, neighbour cut-offs, Top-Pop's order) goes through it.
 */

/** True when (score, key) ranks before (otherScore, otherKey). */
export function beats(score: number, key: number, otherScore: number, otherKey: number): boolean {
  return score > otherScore || (score === otherScore && key < otherKey);
}

/**
 * The heap kernel behind TopK, on a region of flat arrays so that many bounded heaps can live
 * in two typed arrays (one per column of a similarity matrix, neighbours.ts): the heap of
 * capacity k at scores/keys[base .. base + k) holds `size` entries, the worst at `base`.
 * Offers (score, key) and returns the new size. Offer each key at most once per heap; the
 * result does not depend on the offer order.
 */
export function heapOffer(
  scores: Float64Array,
  keys: Int32Array,
  base: number,
  size: number,
  k: number,
  score: number,
  key: number,
): number {
  if (size < k) {
    // sift up from the new leaf: parents that beat the newcomer come down
    let at = size;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!beats(scores[base + parent], keys[base + parent], score, key)) break;
      scores[base + at] = scores[base + parent];
      keys[base + at] = keys[base + parent];
      at = parent;
    }
    scores[base + at] = score;
    keys[base + at] = key;
    return size + 1;
  }
  if (k === 0 || !beats(score, key, scores[base], keys[base])) return size;
  siftDown(scores, keys, base, k, score, key);
  return size;
}

/** Places (score, key) at the root of the heap of `size` entries at `base` and sinks it. */
function siftDown(
  scores: Float64Array,
  keys: Int32Array,
  base: number,
  size: number,
  score: number,
  key: number,
): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    // the worse child rises
    const c = base + child;
    if (child + 1 < size && beats(scores[c], keys[c], scores[c + 1], keys[c + 1])) child++;
    if (!beats(score, key, scores[base + child], keys[base + child])) break;
    scores[base + at] = scores[base + child];
    keys[base + at] = keys[base + child];
    at = child;
  }
  scores[base + at] = score;
  keys[base + at] = key;
}

/** Sorts the heap of `size` entries at `base` best first, in place (it is no heap after). */
export function heapSort(scores: Float64Array, keys: Int32Array, base: number, size: number): void {
  // heapsort: the worst goes to the end, then the next worst before it, and so on
  for (let end = size - 1; end > 0; end--) {
    const score = scores[base + end];
    const key = keys[base + end];
    scores[base + end] = scores[base];
    keys[base + end] = keys[base];
    siftDown(scores, keys, base, end, score, key);
  }
}

/**
 * A bounded selection: the heap kernel above with its own arrays, so a rejected offer costs
 * one comparison (against `floor`, or the root) and an accepted one O(log k).
 */
export class TopK {
  /** the kept scores and keys, heap-ordered (the worst at 0) until `sorted` */
  readonly scores: Float64Array;
  readonly keys: Int32Array;
  size = 0;
  /** the score an offer must reach to have a chance: -Infinity until k were kept */
  floor = -Infinity;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.keys = new Int32Array(k);
  }

  reset(): void {
    this.size = 0;
    this.floor = -Infinity;
  }

  offer(score: number, key: number): void {
    this.size = heapOffer(this.scores, this.keys, 0, this.size, this.k, score, key);
    if (this.size === this.k && this.k > 0) this.floor = this.scores[0];
  }

  /**
   * Sorts the kept entries best first in place (scores[0..size), keys[0..size)) and returns
   * their count. The heap is spent: reset() before offering again.
   */
  sorted(): number {
    heapSort(this.scores, this.keys, 0, this.size);
    return this.size;
  }

  /**
   * Writes the keys best first to out[offset .. offset + k), -1 where fewer than k were
   * offered; `itemOf` maps keys to items (null: the keys are the items). Spends the heap.
   */
  writeTo(out: Int32Array, offset: number, itemOf: Int32Array | null = null): void {
    const count = this.sorted();
    const { keys } = this;
    for (let r = 0; r < this.k; r++) {
      const key = keys[r];
      out[offset + r] = r >= count ? -1 : itemOf === null ? key : itemOf[key];
    }
  }
}

/**
 * The `k` highest-scoring indices of `scores`, best first, ties to the lower index;
 * `candidates` restricts the indices considered (null: all of them). O(n log k).
 */
export function selectTopK(
  scores: Float64Array | Float32Array,
  k: number,
  candidates: Int32Array | null = null,
): Int32Array {
  const n = candidates ? candidates.length : scores.length;
  const top = new TopK(Math.min(k, n));
  for (let p = 0; p < n; p++) {
    const item = candidates ? candidates[p] : p;
    const score = scores[item];
    if (score >= top.floor) top.offer(score, item);
  }
  const count = top.sorted();
  return top.keys.slice(0, count);
}
