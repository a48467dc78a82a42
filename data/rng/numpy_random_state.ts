/**
 * numpy's legacy `RandomState` (MT19937), bit-exact with numpy 1.17+ (the legacy stream is
 * frozen by NEP 19, so 1.24 and 2.x agree). Only what the study replays is implemented:
 * integer seeding, `random_sample`, `normal`, `permutation`, `shuffle` and `randint`.
 * Sources followed: numpy/random/src/mt19937/mt19937.c (seed, twist, tempering),
 * distributions.c (`random_interval`, masked bounded ints), legacy-distributions.c
 * (`legacy_gauss`) and mtrand.pyx (`_legacy_seeding`, `shuffle`, `permutation`).
 */

const STATE_LEN = 624;
const SHIFT = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MAX_UINT32 = 0xffffffff;
/** Swap targets drawn ahead per batch in shuffleInPlace. */
const SHUFFLE_BATCH = 4096;

/** Regenerates all 624 state words (numpy's `mt19937_gen`). */
function twist(key: Uint32Array): void {
  let i = 0;
  for (; i < STATE_LEN - SHIFT; i++) {
    const y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
    key[i] = key[i + SHIFT] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < STATE_LEN - 1; i++) {
    const y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
    key[i] = key[i + SHIFT - STATE_LEN] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (key[STATE_LEN - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
  key[STATE_LEN - 1] = key[SHIFT - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** Knuth's initialisation (`mt19937_seed` / init_genrand): what numpy uses for an int seed. */
function initGenrand(key: Uint32Array, seed: number): void {
  key[0] = seed;
  for (let i = 1; i < STATE_LEN; i++) {
    const prev = key[i - 1];
    key[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
  }
}

/** Smallest 2^k - 1 >= max (max < 2^32), as numpy's `gen_mask`. */
function maskFor(max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`NumpyRandomState.${what}: size must be a non-negative integer, got ${n}`);
  }
}

export class NumpyRandomState {
  private readonly key = new Uint32Array(STATE_LEN);
  private pos = 0;
  private hasGauss = false;
  private gauss = 0;
  /** State right after seeding and the first twist for `seededWith`: re-seeding with the
   * same seed (one fresh RandomState per user group) is then a 2.5 KB copy. */
  private readonly seededKey = new Uint32Array(STATE_LEN);
  private seededWith = -1;
  private readonly swapTargets = new Int32Array(SHUFFLE_BATCH);

  /** `np.random.RandomState(seed)` for an integer seed in [0, 2^32 - 1]. */
  constructor(seed: number) {
    this.reseed(seed);
  }

  /** `RandomState.seed(seed)`: numpy's legacy int seeding is `mt19937_seed` (init_genrand),
   * not init_by_array; the cached gaussian is dropped. */
  reseed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_UINT32) {
      throw new RangeError(
        `NumpyRandomState: seed must be an integer in [0, 2**32 - 1], got ${seed}`,
      );
    }
    if (seed !== this.seededWith) {
      initGenrand(this.seededKey, seed);
      // Twisting eagerly instead of on the first draw gives the same stream.
      twist(this.seededKey);
      this.seededWith = seed;
    }
    this.key.set(this.seededKey);
    this.pos = 0;
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** One tempered 32-bit output (`mt19937_next32`, C's genrand_int32). */
  nextUint32(): number {
    if (this.pos === STATE_LEN) {
      twist(this.key);
      this.pos = 0;
    }
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (`mt19937_next_double`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `random_sample(n)`. */
  randomSample(n: number): Float64Array {
    checkCount(n, "randomSample");
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextDouble();
    return out;
  }

  /** `legacy_gauss`: Marsaglia's polar method; returns f*x2 and caches f*x1 for the next
   * call, across calls of `normal` as numpy does. */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gauss;
      this.gauss = 0;
      return cached;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * Math.log(r2) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `normal(loc, scale, n)`; a shape (r, c) in numpy is the same draws in row-major order. */
  normal(loc: number, scale: number, n: number): Float64Array {
    checkCount(n, "normal");
    if (!(scale >= 0)) {
      throw new RangeError(`NumpyRandomState.normal: scale must be >= 0, got ${scale}`);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = loc + scale * this.standardNormal();
    return out;
  }

  /** `random_interval(max)`: uniform integer in [0, max] by masked rejection (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    const mask = maskFor(max);
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0; while (value > max);
    return value;
  }

  /** `randint(low, high, n)` with numpy's default (int64, masked) path, for
   * high - low <= 2^32; values are returned as doubles (exact below 2^53). */
  randint(low: number, high: number, n: number): Float64Array {
    checkCount(n, "randint");
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new RangeError(
        `NumpyRandomState.randint: need integers low < high, got ${low}, ${high}`,
      );
    }
    const range = high - low - 1;
    if (range > MAX_UINT32) {
      throw new RangeError(`NumpyRandomState.randint: high - low > 2**32 is not implemented`);
    }
    const out = new Float64Array(n);
    if (range === MAX_UINT32) {
      for (let i = 0; i < n; i++) out[i] = low + this.nextUint32();
    } else {
      for (let i = 0; i < n; i++) out[i] = low + this.interval(range);
    }
    return out;
  }

  /** `shuffle(a[start:end])` for a 1-d array: Fisher-Yates from the end, j = `random_interval(i)`.
   * The swap targets depend only on the stream, not on the array, so they are drawn a batch at
   * a time first; the swap loop then has independent loads and the CPU overlaps its cache
   * misses (about 2x faster on large arrays). */
  shuffleInPlace(a: Int32Array, start = 0, end: number = a.length): void {
    if (
      !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > a.length ||
      start > end
    ) {
      throw new RangeError(
        `NumpyRandomState.shuffleInPlace: bad range [${start}, ${end}) for length ${a.length}`,
      );
    }
    const targets = this.swapTargets;
    for (let i = end - start - 1; i >= 1;) {
      const count = Math.min(i, SHUFFLE_BATCH);
      this.drawIntervalsDown(i, count);
      for (let k = 0; k < count; k++, i--) {
        const j = start + targets[k];
        const tmp = a[start + i];
        a[start + i] = a[j];
        a[j] = tmp;
      }
    }
  }

  /** swapTargets[k] = random_interval(top - k) for k < count (top < 2^31); the generator is
   * inlined because this is the hot path of permutation. */
  private drawIntervalsDown(top: number, count: number): void {
    const key = this.key;
    const targets = this.swapTargets;
    let pos = this.pos;
    for (let k = 0; k < count; k++) {
      const max = top - k;
      const mask = maskFor(max);
      let j: number;
      do {
        if (pos === STATE_LEN) {
          twist(key);
          pos = 0;
        }
        let y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        j = y & mask; // mask < 2^31, so j is a non-negative int
      } while (j > max);
      targets[k] = j;
    }
    this.pos = pos;
  }

  /** `permutation(n)`: shuffle of arange(n). */
  permutation(n: number): Int32Array {
    checkCount(n, "permutation");
    if (n > 0x7fffffff) throw new RangeError(`NumpyRandomState.permutation: n > 2**31 - 1`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffleInPlace(out);
    return out;
  }
}
