/**
 * Draws the distinct anime one user rates. An anime is picked with probability proportional to
 * its popularity times the user's affinity for it (a sigmoid of the taste dot product), so what
 * a user rates already says something about their taste. Popularity draws use an alias table
 * and repeats are rejected with a per-user stamp; users who rate a large share of the catalogue
 * switch to Efraimidis-Spirakis keys, which cost one pass over the catalogue but never stall.
 */
import { FACTOR_DIMS } from "./hidden_items.ts";
import type { Rng } from "./random.ts";

/** Steepness of the affinity sigmoid per unit of taste dot product. */
const AFFINITY_GAIN = 1.8;
/** Users rating more than this share of the candidates use the one-pass method. */
const ONE_PASS_SHARE = 0.12;

export class DistinctItemSampler {
  private readonly keepProbability: Float64Array;
  /** the item a slot jumps to (already mapped from candidate position to item) */
  private readonly alias: Int32Array;
  private readonly stamp: Int32Array;
  private readonly keys: Float64Array;
  /** the current user's factors, copied out of the population's array */
  private readonly user = new Float64Array(FACTOR_DIMS);
  private currentStamp = 0;

  /**
   * @param candidates item indices this sampler may return
   * @param weights popularity of each item, indexed by item (not by candidate position)
   * @param itemFactors catalogue-size x FACTOR_DIMS
   */
  constructor(
    private readonly candidates: Int32Array,
    private readonly weights: Float64Array,
    private readonly itemFactors: Float32Array,
  ) {
    const table = buildAliasTable(Float64Array.from(candidates, (item) => weights[item]));
    this.keepProbability = table.keepProbability;
    this.alias = Int32Array.from(table.alias, (position) => candidates[position]);
    this.stamp = new Int32Array(weights.length);
    this.keys = new Float64Array(candidates.length);
  }

  /** Starts a new user: forgets which items were taken. */
  beginUser(): void {
    this.currentStamp++;
  }

  /** Marks `item` as already rated by the current user (draw will not return it). */
  take(item: number): void {
    this.stamp[item] = this.currentStamp;
  }

  /**
   * Appends `count` items not yet taken by this user to `out` from position `start`, and their
   * taste dot products to `dots`. Returns the new end position.
   */
  draw(
    rng: Rng,
    count: number,
    userFactors: Float32Array,
    userOffset: number,
    out: Int32Array,
    dots: Float64Array,
    start: number,
  ): number {
    if (count > ONE_PASS_SHARE * this.candidates.length) {
      return this.drawOnePass(rng, count, userFactors, userOffset, out, dots, start);
    }
    // Locals, not fields: rng.uniform() may call out to refill, after which V8 would reload
    // every field it cannot prove unchanged.
    const n = this.candidates.length;
    const factors = this.itemFactors;
    const keepProbability = this.keepProbability;
    const candidates = this.candidates;
    const alias = this.alias;
    const stamp = this.stamp;
    const current = this.currentStamp;
    const user = this.user;
    for (let d = 0; d < FACTOR_DIMS; d++) user[d] = userFactors[userOffset + d];
    let end = start;
    let budget = 30 * count + 200;
    while (end < start + count) {
      if (--budget < 0) {
        // A very popular-heavy user exhausted the head of the catalogue: finish in one pass.
        return this.drawOnePass(rng, start + count - end, userFactors, userOffset, out, dots, end);
      }
      // One uniform gives the slot and, from its fractional part, the keep-or-alias choice.
      const position = rng.uniform() * n;
      const slot = Math.floor(position);
      const item = position - slot < keepProbability[slot] ? candidates[slot] : alias[slot];
      if (stamp[item] === current) continue;
      let dot = 0;
      const base = item * FACTOR_DIMS;
      for (let d = 0; d < FACTOR_DIMS; d++) dot += user[d] * factors[base + d];
      if (rng.uniform() >= affinity(dot)) continue;
      stamp[item] = current;
      out[end] = item;
      dots[end] = dot;
      end++;
    }
    return end;
  }

  /** Weighted sampling without replacement: the `count` smallest keys Exp(1) / weight. */
  private drawOnePass(
    rng: Rng,
    count: number,
    userFactors: Float32Array,
    userOffset: number,
    out: Int32Array,
    dots: Float64Array,
    start: number,
  ): number {
    const n = this.candidates.length;
    const keys = this.keys;
    let available = 0;
    for (let c = 0; c < n; c++) {
      const item = this.candidates[c];
      if (this.stamp[item] === this.currentStamp) {
        keys[c] = Infinity;
        continue;
      }
      available++;
      const chance = affinity(this.dot(item, userFactors, userOffset));
      keys[c] = -Math.log(1 - rng.uniform()) / (this.weights[item] * chance);
    }
    if (count > available) {
      throw new Error(
        `generateMalDataset: a user needs ${count} more anime but only ${available} remain`,
      );
    }
    const threshold = kthSmallest(keys.slice(), count);
    let end = start;
    for (let c = 0; c < n && end < start + count; c++) {
      if (keys[c] > threshold) continue;
      const item = this.candidates[c];
      this.stamp[item] = this.currentStamp;
      out[end] = item;
      dots[end] = this.dot(item, userFactors, userOffset);
      end++;
    }
    return end;
  }

  private dot(item: number, userFactors: Float32Array, userOffset: number): number {
    let dot = 0;
    const base = item * FACTOR_DIMS;
    for (let d = 0; d < FACTOR_DIMS; d++) {
      dot += userFactors[userOffset + d] * this.itemFactors[base + d];
    }
    return dot;
  }
}

/** sigmoid(AFFINITY_GAIN * dot) tabulated on [-AFFINITY_RANGE, AFFINITY_RANGE] (Math.exp is slow here). */
const AFFINITY_RANGE = 8;
const AFFINITY_STEPS = 4096;
const AFFINITY_TABLE = Float64Array.from(
  { length: AFFINITY_STEPS + 1 },
  (_, k) => 1 / (1 + Math.exp(-AFFINITY_GAIN * ((2 * k) / AFFINITY_STEPS - 1) * AFFINITY_RANGE)),
);

function affinity(dot: number): number {
  const position = ((dot / AFFINITY_RANGE + 1) * AFFINITY_STEPS) / 2;
  if (position <= 0) return AFFINITY_TABLE[0];
  if (position >= AFFINITY_STEPS) return AFFINITY_TABLE[AFFINITY_STEPS];
  return AFFINITY_TABLE[Math.round(position)];
}

export interface AliasTable {
  /** chance of keeping slot i rather than jumping to its alias */
  keepProbability: Float64Array;
  /** the position a slot jumps to */
  alias: Int32Array;
}

/** Walker/Vose alias table: O(1) draws of position i with probability weights[i] / sum. */
export function buildAliasTable(weights: Float64Array): AliasTable {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const scaled = Float64Array.from(weights, (w) => (w * n) / total);
  const keepProbability = new Float64Array(n).fill(1);
  const alias = Int32Array.from({ length: n }, (_, i) => i);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    keepProbability[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) {
      large.pop();
      small.push(l);
    }
  }
  return { keepProbability, alias };
}

/** Value of the k-th smallest element (1-based) of `values`, which is reordered in place. */
export function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
