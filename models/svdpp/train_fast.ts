import type { SgdRates } from "./config.ts";
import type { FactorModel, Vec } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/** Scratch vectors of one factor length, reused across users. */
export interface FastScratch {
  /** the user's factors p_u, copied out while the user is trained (no one else touches them) */
  user: Float64Array;
  /** the user's implicit feedback |I_u|^-1/2 * sum(y_j), kept current rating by rating */
  implicit: Float64Array;
  /** the additive part of the pending y_j update, common to every j in I_u */
  pending: Float64Array;
}

export function fastScratch(factors: number): FastScratch {
  return {
    user: new Float64Array(factors),
    implicit: new Float64Array(factors),
    pending: new Float64Array(factors),
  };
}

/**
 * One epoch of SVD++ SGD in time linear in the ratings, visiting users and ratings in the
 * same order as Surprise (inner-id order, insertion order; no shuffling).
 *
 * Surprise updates every y_j of the user after every rating:
 *   y_j <- d * y_j + lr_yj * err * q_if / sqrt|I_u|      with d = 1 - lr_yj * reg_yj,
 * an update that is the same for every j. So after the user's n ratings
 *   y_j = d^n * y_j + g,   g <- d * g + lr_yj * err * q_if / sqrt|I_u|   (per rating),
 * and the implicit sum follows z <- d * z + lr_yj * err * q_if. Tracking z and g per rating
 * and applying y_j once per user is, in exact arithmetic, Surprise's SGD for every user
 * without a repeated item (close to it otherwise), at O(factors) per rating plus
 * O(factors * |I_u|) per user; in Float64 the results match Surprise's to about 1e-14.
 * Each rating's update loop also accumulates the next rating's dot product (q_i of the
 * next item is read after this rating's write, so a repeated item sees its update).
 * Returns the sum of squared SGD errors (before each update). Only inner users from .. to-1
 * are trained (all by default), so workers can share the users out (fit_threaded.ts).
 */
export function fastSvdppEpoch(
  ts: Trainset,
  model: FactorModel,
  rates: SgdRates,
  scratch: FastScratch,
  from = 0,
  to: number = ts.nUsers,
): number {
  const { bu, bi, pu, qi, factors, mu } = model;
  const yj = model.yj as Vec;
  const { offsets, items, ratings } = ts;
  const { user: p, implicit: z, pending } = scratch;
  const { lrBu, lrBi, lrPu, lrQi, lrYj, regBu, regBi, regPu, regQi } = rates;
  const decay = 1 - lrYj * rates.regYj;
  let squaredErrors = 0;
  for (let u = from; u < to; u++) {
    const start = offsets[u];
    const end = offsets[u + 1];
    const invSqrtIu = 1 / Math.sqrt(end - start);
    const userRow = u * factors;
    z.fill(0);
    for (let k = start; k < end; k++) {
      const jRow = items[k] * factors;
      for (let f = 0; f < factors; f++) z[f] += yj[jRow + f];
    }
    let dot = 0;
    const firstRow = items[start] * factors;
    for (let f = 0; f < factors; f++) {
      z[f] *= invSqrtIu;
      p[f] = pu[userRow + f];
      dot += qi[firstRow + f] * (p[f] + z[f]);
    }
    pending.fill(0);
    let yScale = 1;
    let userBias = bu[u];
    for (let e = start; e < end; e++) {
      const i = items[e];
      const itemRow = i * factors;
      // the row whose dot product the update loop prepares (itself on the last rating: unused)
      const nextRow = (e + 1 < end ? items[e + 1] : i) * factors;
      const err = ratings[e] - (mu + userBias + bi[i] + dot);
      squaredErrors += err * err;
      userBias += lrBu * (err - regBu * userBias);
      bi[i] += lrBi * (err - regBi * bi[i]);
      const yStep = lrYj * err;
      const pendingStep = yStep * invSqrtIu;
      dot = 0;
      for (let f = 0; f < factors; f++) {
        const puf = p[f];
        const qif = qi[itemRow + f];
        const zf = z[f];
        const pNew = puf + lrPu * (err * qif - regPu * puf);
        const zNew = decay * zf + yStep * qif;
        p[f] = pNew;
        z[f] = zNew;
        qi[itemRow + f] = qif + lrQi * (err * (puf + zf) - regQi * qif);
        pending[f] = decay * pending[f] + pendingStep * qif;
        dot += qi[nextRow + f] * (pNew + zNew);
      }
      yScale *= decay;
    }
    bu[u] = userBias;
    for (let f = 0; f < factors; f++) pu[userRow + f] = p[f];
    for (let k = start; k < end; k++) {
      const jRow = items[k] * factors;
      for (let f = 0; f < factors; f++) yj[jRow + f] = yScale * yj[jRow + f] + pending[f];
    }
  }
  return squaredErrors;
}
