/**
 * Seeded random numbers for the MAL generator. Every part of the generator draws from its own
 * stream (`seed:label`), so changing one part (say the synopsis text) leaves the others intact.
 */
import seedrandom from "seedrandom";

const BLOCK = 1024;
const TWO_TO_MINUS_32 = 2 ** -32;

export class Rng {
  /** 32 random bits per call, from seedrandom's xor4096 */
  private readonly int32: () => number;
  /** Uniforms drawn a block at a time: every Rng has its own seedrandom closure, and calling
   * those from shared methods is a megamorphic call V8 cannot inline (~10x slower). */
  private readonly block = new Float64Array(BLOCK);
  private blockAt = BLOCK;

  constructor(seed: number, label: string) {
    // xor4096 is the fastest seedrandom generator measured here.
    const prng = seedrandom.xor4096(`${seed}:${label}`);
    this.int32 = () => prng.int32();
  }

  /** Uniform in [0, 1), 32-bit resolution. */
  uniform(): number {
    if (this.blockAt === BLOCK) this.refill();
    return this.block[this.blockAt++];
  }

  private refill(): void {
    const int32 = this.int32;
    for (let i = 0; i < BLOCK; i++) this.block[i] = (int32() >>> 0) * TWO_TO_MINUS_32;
    this.blockAt = 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /**
   * Standard normal by interpolating a quantile table: several times cheaper than Box-Muller
   * (whose log and cosine cost ~100 ns here) and exact enough for synthetic data (tails cut at
   * 3.8 sd).
   */
  normal(): number {
    const position = this.uniform() * NORMAL_STEPS;
    const k = Math.floor(position);
    return NORMAL_QUANTILES[k] + (position - k) * (NORMAL_QUANTILES[k + 1] - NORMAL_QUANTILES[k]);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)];
  }

  /** Index drawn with probability proportional to `weights[i]`. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** `count` distinct items in random order (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const n = Math.min(count, pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.uniform() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, n);
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** 4,096 steps keep the table in L1 cache (a 65,536-entry one missed it in the rating loop). */
const NORMAL_STEPS = 4096;
const NORMAL_QUANTILES = quantileTable(NORMAL_STEPS);

/**
 * The quantile function at k / steps for k = 0..steps; the infinite ends are replaced by the
 * quantiles at 0.25 / steps and 1 - 0.25 / steps (about -3.8 and 3.8), keeping it symmetric.
 */
function quantileTable(steps: number): Float64Array {
  const edge = 0.25 / steps;
  return Float64Array.from(
    { length: steps + 1 },
    (_, k) => inverseNormalCdf(Math.min(1 - edge, Math.max(edge, k / steps))),
  );
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
