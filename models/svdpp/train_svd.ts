import type { SgdRates } from "./config.ts";
import type { FactorModel } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/**
 * One epoch of Surprise's `SVD.fit` (biased matrix factorisation): ratings visited user by
 * user in inner-id order, insertion order within a user, with Surprise's order of updates.
 * Returns the sum of squared SGD errors (before each update). Only inner users from .. to-1
 * are trained (all by default), so workers can share the users out (fit_threaded.ts).
 */
export function svdEpoch(
  ts: Trainset,
  model: FactorModel,
  rates: SgdRates,
  from = 0,
  to: number = ts.nUsers,
): number {
  const { bu, bi, pu, qi, factors, biased } = model;
  const base = biased ? model.mu : 0;
  const { offsets, items, ratings } = ts;
  const { lrBu, lrBi, lrPu, lrQi, regBu, regBi, regPu, regQi } = rates;
  let squaredErrors = 0;
  for (let u = from; u < to; u++) {
    const userRow = u * factors;
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const i = items[e];
      const itemRow = i * factors;
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += qi[itemRow + f] * pu[userRow + f];
      const err = ratings[e] - (base + bu[u] + bi[i] + dot);
      squaredErrors += err * err;
      if (biased) {
        bu[u] += lrBu * (err - regBu * bu[u]);
        bi[i] += lrBi * (err - regBi * bi[i]);
      }
      for (let f = 0; f < factors; f++) {
        const puf = pu[userRow + f];
        const qif = qi[itemRow + f];
        pu[userRow + f] += lrPu * (err * qif - regPu * puf);
        qi[itemRow + f] += lrQi * (err * puf - regQi * qif);
      }
    }
  }
  return squaredErrors;
}
