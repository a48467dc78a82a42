import type { FactorModel } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/**
 * Writes the user's effective factor vector into `out`: p_u for SVD, and for SVD++
 * p_u + |I_u|^-1/2 * sum_{j in I_u} y_j, summed then divided as Surprise's `estimate` does.
 */
export function userVector(
  model: FactorModel,
  ts: Pick<Trainset, "offsets" | "items">,
  u: number,
  out: Float64Array,
): void {
  const { factors, pu, yj } = model;
  const userRow = u * factors;
  if (yj === null) {
    for (let f = 0; f < factors; f++) out[f] = pu[userRow + f];
    return;
  }
  out.fill(0);
  const start = ts.offsets[u];
  const end = ts.offsets[u + 1];
  for (let k = start; k < end; k++) {
    const jRow = ts.items[k] * factors;
    for (let f = 0; f < factors; f++) out[f] += yj[jRow + f];
  }
  const sqrtIu = Math.sqrt(end - start);
  for (let f = 0; f < factors; f++) out[f] = pu[userRow + f] + out[f] / sqrtIu;
}

/**
 * Surprise's estimate for inner ids (-1 = unknown), unclipped: global mean, plus b_u if the
 * user is known, plus b_i if the item is known, plus q_i . vector if both are. An unbiased
 * SVD cannot predict an unknown pair and falls back to the global mean, as Surprise's
 * `default_prediction` does.
 */
export function estimate(
  model: FactorModel,
  u: number,
  i: number,
  userVec: Float64Array,
): number {
  const { factors, qi } = model;
  if (!model.biased) {
    if (u < 0 || i < 0) return model.mu;
    let dot = 0;
    for (let f = 0; f < factors; f++) dot += qi[i * factors + f] * userVec[f];
    return dot;
  }
  let est = model.mu;
  if (u >= 0) est += model.bu[u];
  if (i >= 0) est += model.bi[i];
  if (u >= 0 && i >= 0) {
    let dot = 0;
    const itemRow = i * factors;
    for (let f = 0; f < factors; f++) dot += qi[itemRow + f] * userVec[f];
    est += dot;
  }
  return est;
}

export function clip(value: number, scale: readonly [number, number]): number {
  return value < scale[0] ? scale[0] : value > scale[1] ? scale[1] : value;
}
