import type { StepContext, TrainData } from "../model.ts";
import type { SgdRates } from "./config.ts";
import type { FactorModel } from "./factors.ts";
import { initModel, type InitOptions, normalSource } from "./init.ts";
import type { LearningCurves } from "./params.ts";
import { buildTrainset, type Trainset } from "./trainset.ts";

/** What the epoch loops of fit.ts (one thread) and fit_threaded.ts (workers) share. */

export type Trainer = "svd" | "svdpp-fast" | "svdpp-surprise";

export interface FitPlan {
  /** name used in log lines and errors */
  name: string;
  trainer: Trainer;
  epochs: number;
  rates: SgdRates;
  init: InitOptions;
  /** 1: SGD on this thread, deterministic; more: lock-free SGD in workers (fit_threaded.ts) */
  threads: number;
}

/** The trainset, the initial model, the dev pairs and empty learning curves. */
export function startFit(plan: FitPlan, data: TrainData, ctx: StepContext) {
  const ts: Trainset = buildTrainset(data);
  const model: FactorModel = initModel(ts, plan.init, normalSource(ctx));
  const curves: LearningCurves = {
    train: new Float64Array(plan.epochs),
    dev: new Float64Array(plan.epochs).fill(NaN),
  };
  return { ts, model, dev: devPairs(data), curves };
}

/** Milliseconds (performance.now()) at the start of an epoch, after SGD, after dev RMSE. */
export interface EpochTimes {
  started: number;
  trained: number;
  evaluated: number;
}

/** Stops a diverged fit with an error naming the epoch (0-based `epoch`). */
export function checkDivergence(plan: FitPlan, curves: LearningCurves, epoch: number): void {
  if (!Number.isFinite(curves.train[epoch])) {
    throw new Error(
      `${plan.name}: SGD diverged in epoch ${epoch + 1} (train RMSE ${curves.train[epoch]}); ` +
        "lower lr",
    );
  }
}

export function reportEpoch(
  plan: FitPlan,
  curves: LearningCurves,
  epoch: number,
  times: EpochTimes,
  ctx: StepContext,
): void {
  const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(2);
  ctx.progress(epoch + 1, plan.epochs, "epoch");
  ctx.log(
    `${plan.name} epoch ${epoch + 1}/${plan.epochs}: train rmse ${
      curves.train[epoch].toFixed(4)
    }, dev rmse ${curves.dev[epoch].toFixed(4)} (sgd ${seconds(times.started, times.trained)} s, ` +
      `dev ${seconds(times.trained, times.evaluated)} s)`,
  );
}

function devPairs(data: TrainData) {
  const { ratings, dev } = data;
  const users = new Int32Array(dev.length);
  const items = new Int32Array(dev.length);
  const values = new Float64Array(dev.length);
  for (let k = 0; k < dev.length; k++) {
    const row = dev[k];
    if (!(row >= 0 && row < ratings.user.length)) {
      throw new Error(`svdpp: data.dev[${k}] = ${row} is not a row of the ratings`);
    }
    users[k] = ratings.user[row];
    items[k] = ratings.item[row];
    values[k] = ratings.rating[row];
  }
  return { users, items, ratings: values };
}

/** Root mean squared difference, summed in index order (so equal inputs give equal bits). */
export function rmse(predicted: Float64Array, actual: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < predicted.length; k++) {
    const d = predicted[k] - actual[k];
    sum += d * d;
  }
  return Math.sqrt(sum / predicted.length);
}
