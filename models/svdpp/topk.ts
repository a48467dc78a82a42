/**
 * The k best (score, key) pairs of a stream, kept sorted in a fixed k-array by insertion:
 * higher score first, equal scores to the lower key. A key is the item itself, or its rank in
 * a tie order (tie_keys.ts) that writeTo maps back to items. O(k) per accepted offer, O(1)
 * per rejected one, which is nearly all of them when k is small next to the catalogue.
 */
export class TopK {
  readonly scores: Float64Array;
  readonly items: Int32Array;
  size = 0;
  /** the score an offer must reach to have a chance: -Infinity until k were kept */
  floor = -Infinity;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.items = new Int32Array(k);
  }

  reset(): void {
    this.size = 0;
    this.floor = -Infinity;
  }

  offer(score: number, item: number): void {
    const { scores, items, k } = this;
    let at = this.size;
    if (at === k) {
      if (!beats(score, item, scores[k - 1], items[k - 1])) return;
      at = k - 1;
    } else {
      this.size++;
    }
    while (at > 0 && beats(score, item, scores[at - 1], items[at - 1])) {
      scores[at] = scores[at - 1];
      items[at] = items[at - 1];
      at--;
    }
    scores[at] = score;
    items[at] = item;
    if (this.size === k) this.floor = scores[k - 1];
  }

  /**
   * Writes the items best first, -1 where fewer than k were offered; `itemOf` maps the keys
   * offered to items (null: the keys are the items).
   */
  writeTo(out: Int32Array, offset: number, itemOf: Int32Array | null = null): void {
    for (let r = 0; r < this.k; r++) {
      const key = this.items[r];
      out[offset + r] = r >= this.size ? -1 : itemOf === null ? key : itemOf[key];
    }
  }
}

function beats(score: number, item: number, otherScore: number, otherItem: number): boolean {
  return score > otherScore || (score === otherScore && item < otherItem);
}
