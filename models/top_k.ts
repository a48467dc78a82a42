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
 * A bounded selection: a binary heap of at most k entries with the worst at the root, so a
 * rejected offer costs one comparison (against `floor`, or the root) and an accepted one
 * O(log k). Offer each key at most once; the result does not depend on the offer order.
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
    const { scores, keys, k } = this;
    if (this.size < k) {
      // sift up from the new leaf: parents that beat the newcomer come down
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!beats(scores[parent], keys[parent], score, key)) break;
        scores[at] = scores[parent];
        keys[at] = keys[parent];
        at = parent;
      }
      scores[at] = score;
      keys[at] = key;
      if (this.size === k) this.floor = scores[0];
      return;
    }
    if (k === 0 || !beats(score, key, scores[0], keys[0])) return;
    this.#siftDown(score, key, k);
    this.floor = scores[0];
  }

  /** Places (score, key) at the root of the first `size` entries and sinks it. */
  #siftDown(score: number, key: number, size: number): void {
    const { scores, keys } = this;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      // the worse child rises
      if (
        child + 1 < size && beats(scores[child], keys[child], scores[child + 1], keys[child + 1])
      ) {
        child++;
      }
      if (!beats(score, key, scores[child], keys[child])) break;
      scores[at] = scores[child];
      keys[at] = keys[child];
      at = child;
    }
    scores[at] = score;
    keys[at] = key;
  }

  /**
   * Sorts the kept entries best first in place (scores[0..size), keys[0..size)) and returns
   * their count. The heap is spent: reset() before offering again.
   */
  sorted(): number {
    const { scores, keys } = this;
    // heapsort: the worst goes to the end, then the next worst before it, and so on
    for (let end = this.size - 1; end > 0; end--) {
      const score = scores[end];
      const key = keys[end];
      scores[end] = scores[0];
      keys[end] = keys[0];
      this.#siftDown(score, key, end);
    }
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
