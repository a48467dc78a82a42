/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13): resample the
 * units (users, or rating rows) with replacement B times, recompute the statistic on each
 * resample, and take the (1 - level)/2 and (1 + level)/2 quantiles of the B statistics.
 *
 * Fast on a full part (270k users, B = 1000) on a machine whose memory is slow: a resample
 * is a vector of draw counts per user (n draws into one reused Uint16Array that stays in
 * cache), shared by every metric; a metric's resampled mean is then a sum over its
 * non-zero users only (most users score 0 on hit-based metrics) or one sequential pass.
 * Nothing is allocated per resample.
 */

/** A confidence interval [low, high]; NaN bounds when there was nothing to resample. */
export type Interval = [number, number];

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_LEVEL = 0.95;

export interface BootstrapOptions {
  /** B, the number of resamples */
  resamples: number;
  /** 32-bit seed of the draws */
  seed: number;
  /** coverage of the interval (default 0.95) */
  level?: number;
}

/**
 * The generator of the resampling draws: mulberry32 (32-bit state, period 2^32), fast and
 * simple enough to be replayed by a test. `index(n)` maps a 32-bit output to [0, n) by
 * multiply-and-floor (a bias below n / 2^32, under 1e-4 for any real part).
 */
export class ResampleDraws {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** The next uniform integer in [0, n). */
  index(n: number): number {
    const a = (this.state = (this.state + 0x6d2b79f5) | 0);
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) * n / 4294967296) | 0;
  }

  /**
   * `counts[i]` = how many of the next `counts.length` draws of `index(counts.length)` are
   * i: the same stream as calling `index`, with the generator inlined (the hot loop).
   */
  countDraws(counts: Uint16Array): void {
    const n = counts.length;
    counts.fill(0);
    let a = this.state;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      counts[(((t ^ (t >>> 14)) >>> 0) * n / 4294967296) | 0]++;
    }
    this.state = a;
  }
}

/**
 * Intervals of the means of several per-user columns (NaN: the user has no value), all from
 * the same resamples of the users that have a value in at least one column. A column's
 * statistic on a resample is the mean of its non-NaN drawn values, as `meanSkippingNaN`
 * averages the part.
 */
export function bootstrapMeans(columns: Float64Array[], options: BootstrapOptions): Interval[] {
  const users = usersWithAValue(columns);
  const n = users.length;
  if (n === 0) return columns.map(() => [NaN, NaN]);
  const terms = columns.map((column) => meanTerms(column, users));
  const B = options.resamples;
  const statistics = columns.map(() => new Float64Array(B));
  // A user drawn 65,536 times in n draws has probability ~1/65535! of happening.
  const counts = new Uint16Array(n);
  const draws = new ResampleDraws(options.seed);
  for (let b = 0; b < B; b++) {
    draws.countDraws(counts);
    for (let m = 0; m < terms.length; m++) {
      const drawn = n - drawsOn(terms[m].nanPositions, counts);
      statistics[m][b] = drawn === 0 ? NaN : resampledSum(terms[m], counts) / drawn;
    }
  }
  return statistics.map((values) => percentileInterval(values, options.level));
}

/**
 * A column over the resampled users, in the cheaper of two forms: its non-zero values with
 * their positions (sparse), or every value with NaN as 0 (dense); plus where it is NaN.
 */
interface MeanTerms {
  positions?: Int32Array;
  values: Float64Array;
  nanPositions: Int32Array;
}

function meanTerms(column: Float64Array, users: Int32Array): MeanTerms {
  const n = users.length;
  let nonZero = 0;
  let nan = 0;
  for (let i = 0; i < n; i++) {
    const v = column[users[i]];
    if (v !== v) nan++;
    else if (v !== 0) nonZero++;
  }
  const nanPositions = new Int32Array(nan);
  const sparse = nonZero * 3 < n;
  const positions = sparse ? new Int32Array(nonZero) : undefined;
  const values = new Float64Array(sparse ? nonZero : n);
  let z = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = column[users[i]];
    if (v !== v) nanPositions[k++] = i;
    else if (!sparse) values[i] = v;
    else if (v !== 0) {
      positions![z] = i;
      values[z++] = v;
    }
  }
  return { positions, values, nanPositions };
}

/** Σ count·value over a column's values (NaN users add nothing). */
function resampledSum(terms: MeanTerms, counts: Uint16Array): number {
  const { positions, values } = terms;
  let sum = 0;
  if (positions) {
    for (let j = 0; j < positions.length; j++) sum += counts[positions[j]] * values[j];
  } else {
    for (let i = 0; i < values.length; i++) sum += counts[i] * values[i];
  }
  return sum;
}

/** How many of a resample's draws fell on the given positions. */
function drawsOn(positions: Int32Array, counts: Uint16Array): number {
  let drawn = 0;
  for (let j = 0; j < positions.length; j++) drawn += counts[positions[j]];
  return drawn;
}

/**
 * Intervals of statistics of `n` units that are not plain means (rating metrics: RMSE is
 * the root of a mean, R² a ratio), all from the same resamples. Each resample is given as
 * draw counts (`counts[i]`: how often unit i was drawn; one reused array), and
 * `statistics(counts, out)` writes every statistic of that resample into `out` (length
 * `count`).
 */
export function bootstrapStatistics(
  n: number,
  count: number,
  statistics: (counts: Uint16Array, out: Float64Array) => void,
  options: BootstrapOptions,
): Interval[] {
  if (n === 0) return Array.from({ length: count }, () => [NaN, NaN]);
  const B = options.resamples;
  const results = new Float64Array(count * B);
  const counts = new Uint16Array(n);
  const out = new Float64Array(count);
  const draws = new ResampleDraws(options.seed);
  for (let b = 0; b < B; b++) {
    draws.countDraws(counts);
    statistics(counts, out);
    for (let s = 0; s < count; s++) results[s * B + b] = out[s];
  }
  return Array.from(
    { length: count },
    (_, s) => percentileInterval(results.subarray(s * B, (s + 1) * B), options.level),
  );
}

/** The slack `expandResample` needs past the end of its output. */
export const EXPAND_SLACK = 3;

/**
 * Writes each unit's value `counts[i]` times, in unit order, into `into` (the number of
 * draws, plus EXPAND_SLACK elements of slack): a resample as an array, read sequentially
 * rather than by random gathers. Each unit writes three copies unconditionally and moves
 * on by its count (the next unit overwrites the extra ones): a unit is drawn 0 to 3 times
 * in 98% of cases, so the loop rarely branches on a count.
 */
export function expandResample(
  counts: Uint16Array,
  values: Float64Array,
  into: Float64Array,
): void {
  let k = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    const v = values[i];
    into[k] = v;
    into[k + 1] = v;
    into[k + 2] = v;
    for (let j = 3; j < c; j++) into[k + j] = v;
    k += c;
  }
}

/**
 * The percentile interval of bootstrap statistics (sorted in place): the quantiles at
 * (1 ∓ level)/2, each interpolated linearly between order statistics at position
 * q·(B − 1) (numpy's default "linear" quantile). NaN statistics (an empty resample) are
 * left out.
 */
export function percentileInterval(
  statistics: Float64Array,
  level = DEFAULT_LEVEL,
): Interval {
  statistics.sort(); // typed-array sort: numeric, NaN last
  let count = statistics.length;
  while (count > 0 && Number.isNaN(statistics[count - 1])) count--;
  if (count === 0) return [NaN, NaN];
  const tail = (1 - level) / 2;
  return [quantileOfSorted(statistics, count, tail), quantileOfSorted(statistics, count, 1 - tail)];
}

function quantileOfSorted(sorted: Float64Array, count: number, q: number): number {
  const position = q * (count - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, count - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** Indices of the users with a non-NaN value in any column: the units resampled. */
function usersWithAValue(columns: Float64Array[]): Int32Array {
  const length = columns.length ? columns[0].length : 0;
  const keep = new Int32Array(length);
  let n = 0;
  for (let u = 0; u < length; u++) {
    for (const column of columns) {
      if (column[u] === column[u]) {
        keep[n++] = u;
        break;
      }
    }
  }
  return keep.subarray(0, n);
}
