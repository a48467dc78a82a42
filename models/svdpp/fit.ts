import type { StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import type { FactorModel } from "./factors.ts";
import {
  checkDivergence,
  type FitPlan,
  reportEpoch,
  rmse,
  startFit,
  type Trainer,
} from "./fit_epochs.ts";
import { fitThreaded } from "./fit_threaded.ts";
import { paramsToTable } from "./params.ts";
import { predictPairs } from "./predict.ts";
import { fastScratch, fastSvdppEpoch } from "./train_fast.ts";
import { surpriseSvdppEpoch } from "./train_surprise.ts";
import { svdEpoch } from "./train_svd.ts";
import type { Trainset } from "./trainset.ts";

export type { FitPlan, Trainer };

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
 * With plan.threads > 1 the work goes to workers and the table comes in a promise.
 */
export function fitFactorModel(
  plan: FitPlan,
  data: TrainData,
  ctx: StepContext,
): Table | Promise<Table> {
  if (plan.threads > 1) return fitThreaded(plan, data, ctx);
  const { ts, model, dev, curves } = startFit(plan, data, ctx);
  const runEpoch = epochFor(plan);
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    const started = performance.now();
    curves.train[epoch] = Math.sqrt(runEpoch(ts, model) / ts.ratings.length);
    checkDivergence(plan, curves, epoch);
    const trained = performance.now();
    if (dev.users.length > 0) {
      const predicted = predictPairs(model, ts, dev.users, dev.items, data.scale);
      curves.dev[epoch] = rmse(predicted, dev.ratings);
    }
    reportEpoch(plan, curves, epoch, { started, trained, evaluated: performance.now() }, ctx);
  }
  return paramsToTable(model, ts, curves);
}
