import type { SgdRates } from "./config.ts";
import type { FactorModel } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/**
 * One epoch of Surprise's `SVDpp.fit`, operation for operation (Float64): users in inner-id
 * order, each user's ratings in insertion order; for every rating the implicit feedback
 * |I_u|^-1/2 * sum(y_j) is recomputed and every y_j of the user is updated, so a user with
 * n ratings costs O(n^2 * factors). Kept for exact replays; train_fast.ts is the same SGD
 * in linear time. Returns the sum of squared SGD errors (before each update).
 */
export function surpriseSvdppEpoch(
  ts: Trainset,
  model: FactorModel,
  rates: SgdRates,
  implicit: Float64Array,
): number {
  const { bu, bi, pu, qi, yj, factors, mu } = requireFloat64(model);
  const { offsets, items, ratings } = ts;
  const { lrBu, lrBi, lrPu, lrQi, lrYj, regBu, regBi, regPu, regQi, regYj } = rates;
  let squaredErrors = 0;
  for (let u = 0; u < ts.nUsers; u++) {
    const start = offsets[u];
    const end = offsets[u + 1];
    const sqrtIu = Math.sqrt(end - start);
    const userRow = u * factors;
    for (let e = start; e < end; e++) {
      const itemRow = items[e] * factors;
      implicit.fill(0);
      for (let k = start; k < end; k++) {
        const jRow = items[k] * factors;
        for (let f = 0; f < factors; f++) implicit[f] += yj[jRow + f] / sqrtIu;
      }
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += qi[itemRow + f] * (pu[userRow + f] + implicit[f]);
      const err = ratings[e] - (mu + bu[u] + bi[items[e]] + dot);
      squaredErrors += err * err;
      bu[u] += lrBu * (err - regBu * bu[u]);
      bi[items[e]] += lrBi * (err - regBi * bi[items[e]]);
      for (let f = 0; f < factors; f++) {
        const puf = pu[userRow + f];
        const qif = qi[itemRow + f];
        pu[userRow + f] += lrPu * (err * qif - regPu * puf);
        qi[itemRow + f] += lrQi * (err * (puf + implicit[f]) - regQi * qif);
        const step = err * qif / sqrtIu;
        for (let k = start; k < end; k++) {
          const at = items[k] * factors + f;
          yj[at] += lrYj * (step - regYj * yj[at]);
        }
      }
    }
  }
  return squaredErrors;
}

function requireFloat64(model: FactorModel) {
  const { bu, bi, pu, qi, yj } = model;
  if (
    !(bu instanceof Float64Array && bi instanceof Float64Array && pu instanceof Float64Array &&
      qi instanceof Float64Array && yj instanceof Float64Array)
  ) {
    throw new Error("svdpp: the surprise variant needs Float64 parameters (precision float64)");
  }
  return { bu, bi, pu, qi, yj, factors: model.factors, mu: model.mu };
}
