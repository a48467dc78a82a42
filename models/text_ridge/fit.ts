/**
 * The text ridge fitted: the ridge path over the λ list on the training items, each λ
 * scored on dev, the one with the lowest dev RMSE kept (the first of equal ones, in the
 * list's order), as the BERT head keeps its best epoch.
 */
import { multiplyVector, type SparseRows } from "./sparse_rows.ts";
import { type RidgeFit, type RidgeOptions, ridgePath } from "./ridge.ts";

export interface LambdaScore {
  lambda: number;
  train_rmse: number;
  /** NaN without dev items */
  dev_rmse: number;
}

export interface TextRidgeResult {
  best: RidgeFit;
  /** every λ in the list's order */
  path: LambdaScore[];
  side: "primal" | "dual";
  order: number;
  kernel: string;
  seconds: { gram: number; solves: number };
}

export async function fitTextRidge(
  train: { x: SparseRows; y: Float64Array },
  dev: { x: SparseRows; y: Float64Array },
  lambdas: readonly number[],
  options: RidgeOptions = {},
): Promise<TextRidgeResult> {
  if (lambdas.length === 0) throw new Error("text ridge: no λ to try");
  if (lambdas.length > 1 && dev.x.rows === 0) {
    throw new Error("text ridge: choosing λ needs dev items, and the split left none");
  }
  const fitted = await ridgePath(train.x, train.y, lambdas, options);
  const path = fitted.fits.map((fit) => ({
    lambda: fit.lambda,
    train_rmse: rmse(multiplyVector(train.x, fit.weights, fit.intercept), train.y),
    dev_rmse: rmse(multiplyVector(dev.x, fit.weights, fit.intercept), dev.y),
  }));
  const bestIndex = chooseLambda(path);
  return {
    best: fitted.fits[bestIndex],
    path,
    side: fitted.side,
    order: fitted.order,
    kernel: fitted.kernel,
    seconds: fitted.seconds,
  };
}

/** The index of the lowest dev RMSE (the first of equal ones); 0 without dev figures. */
export function chooseLambda(path: readonly LambdaScore[]): number {
  let best = 0;
  for (let i = 1; i < path.length; i++) {
    if (path[i].dev_rmse < path[best].dev_rmse) best = i;
  }
  return best;
}

function rmse(pred: Float64Array, truth: Float64Array): number {
  if (truth.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < truth.length; i++) sum += (pred[i] - truth[i]) ** 2;
  return Math.sqrt(sum / truth.length);
}
