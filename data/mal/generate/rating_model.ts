/**
 * How a rating comes out of the hidden model:
 *   rating = clip(round(offset + user bias + item bias + user·item + noise), 1, 10).
 * Which anime a user rates depends on taste and catalogue size (a user of the 200-anime tiny
 * catalogue cannot be as choosy as one of the full 24,905), so the offset is calibrated on a
 * sample of each dataset to give the real dump's mean rating at every scale.
 */

/** Mean and sd of users-score-2023.csv ratings: 7.62 and 1.66. */
export const TARGET_MEAN = 7.62;
export const NOISE_SD = 1.2;

export function clipRating(raw: number): number {
  const r = Math.round(raw);
  return r < 1 ? 1 : r > 10 ? 10 : r;
}

/**
 * The offset m for which the sample's ratings clip(round(m + latent[i])) average TARGET_MEAN.
 * `latent` holds user bias + item bias + taste dot product + noise for sampled (user, anime)
 * pairs. Bisection: the mean is non-decreasing in m.
 */
export function calibrateOffset(latent: Float64Array, count: number): number {
  if (count === 0) return TARGET_MEAN;
  let low = -5;
  let high = 20;
  for (let step = 0; step < 40; step++) {
    const middle = (low + high) / 2;
    let total = 0;
    for (let i = 0; i < count; i++) total += clipRating(middle + latent[i]);
    if (total / count < TARGET_MEAN) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
