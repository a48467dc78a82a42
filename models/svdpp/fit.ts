import type { StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import type { SgdRates } from "./config.ts";
import type { FactorModel } from "./factors.ts";
import { initModel, type InitOptions, normalSource } from "./init.ts";
import { paramsToTable } from "./params.ts";
import { predictPairs } from "./predict.ts";
import { fastScratch, fastSvdppEpoch } from "./train_fast.ts";
import { surpriseSvdppEpoch } from "./train_surprise.ts";
import { svdEpoch } from "./train_svd.ts";
import { buildTrainset, type Trainset } from "./trainset.ts";

export type Trainer = "svd" | "svdpp-fast" | "svdpp-surprise";

export interface FitPlan {
  /** name used in log lines */
  name: string;
  trainer: Trainer;
  epochs: number;
  rates: SgdRates;
  init: InitOptions;
}

/** One SGD pass over the trainset; returns the sum of squared errors met on the way. */
type Epoch = (ts: Trainset, model: FactorModel) => number;

function epochFor(plan: FitPlan): Epoch {
  const { rates } = plan;
  switch (plan.trainer) {
    case "svd":
      return (ts, model) => svdEpoch(ts, model, rates);
    case "svdpp-fast": {
      const scratch = fastScratch(plan.init.factors);
      return (ts, model) => fastSvdppEpoch(ts, model, rates, scratch);
    }
    case "svdpp-surprise": {
      const implicit = new Float64Array(plan.init.factors);
      return (ts, model) => surpriseSvdppEpoch(ts, model, rates, implicit);
    }
  }
}

/**
 * Fits SVD / SVD++ on `data.train` and returns the parameter table with the learning curves
 * (train: RMSE of the epoch's SGD errors; dev: clipped-prediction RMSE on `data.dev`).
 */
export function fitFactorModel(plan: FitPlan, data: TrainData, ctx: StepContext): Table {
  const ts = buildTrainset(data);
  const model = initModel(ts, plan.init, normalSource(ctx));
  const runEpoch = epochFor(plan);
  const dev = devPairs(data);
  const curves = {
    train: new Float64Array(plan.epochs),
    dev: new Float64Array(plan.epochs).fill(NaN),
  };
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    const started = performance.now();
    curves.train[epoch] = Math.sqrt(runEpoch(ts, model) / ts.ratings.length);
    if (!Number.isFinite(curves.train[epoch])) {
      throw new Error(
        `${plan.name}: SGD diverged in epoch ${epoch + 1} (train RMSE ${curves.train[epoch]}); ` +
          "lower lr",
      );
    }
    const trained = performance.now();
    if (dev.users.length > 0) {
      const predicted = predictPairs(model, ts, dev.users, dev.items, data.scale);
      curves.dev[epoch] = rmse(predicted, dev.ratings);
    }
    const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(2);
    ctx.progress(epoch + 1, plan.epochs, "epoch");
    ctx.log(
      `${plan.name} epoch ${epoch + 1}/${plan.epochs}: train rmse ${
        curves.train[epoch].toFixed(4)
      }, dev rmse ${curves.dev[epoch].toFixed(4)} (sgd ${seconds(started, trained)} s, dev ${
        seconds(trained, performance.now())
      } s)`,
    );
  }
  return paramsToTable(model, ts, curves);
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

export function rmse(predicted: Float64Array, actual: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < predicted.length; k++) {
    const d = predicted[k] - actual[k];
    sum += d * d;
  }
  return Math.sqrt(sum / predicted.length);
}
