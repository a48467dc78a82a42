/**
 * The numbers behind the charts, computed here over typed arrays in linear (or n log n) time so
 * that a chart receives tens of rows whatever the number of users, items or predictions.
 */

export interface Histogram {
  /** lower edge of each bin; bin b covers [lower[b], lower[b] + width), the last one closed */
  lower: Float64Array;
  width: number;
  counts: Float64Array;
  /** values that were NaN (not evaluated for that user) */
  missing: number;
}

/** Counts the finite values of `values` into `bins` equal bins over [lo, hi]. */
export function histogram(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  bins: number,
): Histogram {
  if (!(hi > lo) || bins < 1) throw new Error(`histogram: bad range [${lo}, ${hi}] or bins`);
  const width = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isNaN(value)) {
      missing++;
      continue;
    }
    const bin = Math.floor((value - lo) / width);
    counts[Math.min(bins - 1, Math.max(0, bin))]++;
  }
  const lower = new Float64Array(bins);
  for (let b = 0; b < bins; b++) lower[b] = lo + b * width;
  return { lower, width, counts, missing };
}

/**
 * The histogram range of a per-user metric over all parts: [0, 1] when every value lies
 * there (precision, ndcg, ...), [0, 100] for percentiles, else the data's range.
 */
export function metricRange(columns: ArrayLike<number>[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const column of columns) {
    for (let i = 0; i < column.length; i++) {
      const value = column[i];
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (min === Infinity) return [0, 1];
  if (min >= 0 && max <= 1) return [0, 1];
  if (min >= 0 && max <= 100) return [0, 100];
  return max > min ? [min, max] : [min - 0.5, max + 0.5];
}

/** Item indexes from the most to the least trained-on; ties keep catalogue order. */
export function popularityOrder(trainCount: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(trainCount.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => trainCount[b] - trainCount[a] || a - b);
}

export interface PopularityBands {
  /** share of the training ratings that fall on each band's items, in % */
  trainShare: Float64Array;
  /** share of all recommendation slots that went to each band's items, in % */
  recommendedShare: Float64Array;
  /** items per band (the last band may hold a few fewer or more) */
  items: Int32Array;
}

/**
 * Splits the catalogue, most popular first, into `bands` bands of (nearly) equal item count
 * and sums each band's training ratings and recommendations: popularity bias at a glance.
 */
export function popularityBands(
  trainCount: ArrayLike<number>,
  recommended: ArrayLike<number>,
  bands = 10,
): PopularityBands {
  const order = popularityOrder(trainCount);
  const n = order.length;
  const trainSum = new Float64Array(bands);
  const recommendedSum = new Float64Array(bands);
  const items = new Int32Array(bands);
  let trainTotal = 0;
  let recommendedTotal = 0;
  for (let rank = 0; rank < n; rank++) {
    const item = order[rank];
    const band = Math.floor((rank * bands) / n);
    trainSum[band] += trainCount[item];
    recommendedSum[band] += recommended[item];
    items[band]++;
    trainTotal += trainCount[item];
    recommendedTotal += recommended[item];
  }
  for (let b = 0; b < bands; b++) {
    trainSum[b] = trainTotal > 0 ? (100 * trainSum[b]) / trainTotal : 0;
    recommendedSum[b] = recommendedTotal > 0 ? (100 * recommendedSum[b]) / recommendedTotal : 0;
  }
  return { trainShare: trainSum, recommendedShare: recommendedSum, items };
}

export interface ConcentrationCurve {
  /** share of the catalogue (most popular items first), in %, from 0 to 100 */
  catalogueShare: Float64Array;
  /** cumulative share of the training ratings, in % */
  trainShare: Float64Array;
  /** cumulative share of the recommendation slots, in % */
  recommendedShare: Float64Array;
}

/**
 * Lorenz-style curves: how much of the ratings and of the recommendations the top x% most
 * popular items take. Sampled at `points` + 1 evenly spaced catalogue shares.
 */
export function concentrationCurve(
  trainCount: ArrayLike<number>,
  recommended: ArrayLike<number>,
  points = 100,
): ConcentrationCurve {
  const order = popularityOrder(trainCount);
  const n = order.length;
  const cumulativeTrain = new Float64Array(n + 1);
  const cumulativeRecommended = new Float64Array(n + 1);
  for (let rank = 0; rank < n; rank++) {
    cumulativeTrain[rank + 1] = cumulativeTrain[rank] + trainCount[order[rank]];
    cumulativeRecommended[rank + 1] = cumulativeRecommended[rank] + recommended[order[rank]];
  }
  const steps = Math.min(points, Math.max(1, n));
  const catalogueShare = new Float64Array(steps + 1);
  const trainShare = new Float64Array(steps + 1);
  const recommendedShare = new Float64Array(steps + 1);
  const trainTotal = cumulativeTrain[n] || 1;
  const recommendedTotal = cumulativeRecommended[n] || 1;
  for (let s = 0; s <= steps; s++) {
    const rank = Math.round((s * n) / steps);
    catalogueShare[s] = n > 0 ? (100 * rank) / n : 0;
    trainShare[s] = (100 * cumulativeTrain[rank]) / trainTotal;
    recommendedShare[s] = (100 * cumulativeRecommended[rank]) / recommendedTotal;
  }
  return { catalogueShare, trainShare, recommendedShare };
}

/** At most `max` indexes spread evenly over [0, n): a deterministic thinning for scatters. */
export function evenSample(n: number, max: number): Int32Array {
  const count = Math.min(n, max);
  const picked = new Int32Array(count);
  for (let i = 0; i < count; i++) picked[i] = Math.floor((i * n) / count);
  return picked;
}
