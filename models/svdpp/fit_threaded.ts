import type { StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { chunkSize } from "./chunks.ts";
import { checkDivergence, type FitPlan, reportEpoch, rmse, startFit } from "./fit_epochs.ts";
import { paramsToTable } from "./params.ts";
import { groupPairs, type PairGroups } from "./predict.ts";
import {
  shared,
  sharedFloat64,
  sharedInt32,
  sharedModel,
  sharedTrainset,
  unsharedModel,
} from "./shared_memory.ts";
import { WorkerPool } from "./worker_pool.ts";
import type { TrainSetupTask, WorkerTask } from "./worker_tasks.ts";

/** Chunks of users per worker and task: enough that a worker slowed by other load waits little. */
const CHUNKS_PER_THREAD = 64;

/**
 * fit.ts's epoch loop with `plan.threads` workers kept alive across epochs (one message per
 * epoch, no start-up per epoch). SGD is "Hogwild": each worker trains the users it claims,
 * per user as train_fast.ts / train_svd.ts do, on parameters in shared memory without locks,
 * so two workers may update one item at once and results differ from run to run; the RMSE
 * stays close to a one-thread fit. The dev RMSE is exact: each dev prediction is computed
 * as predict.ts does, whichever worker computes it, and summed on this thread in row order.
 * The train RMSE adds the workers' sums in worker order (it varies with the schedule).
 */
export async function fitThreaded(
  plan: FitPlan,
  data: TrainData,
  ctx: StepContext,
): Promise<Table> {
  if (plan.trainer === "svdpp-surprise") {
    throw new Error(
      `${plan.name}: threads > 1 needs variant fast (surprise replays Surprise's single-threaded loop)`,
    );
  }
  const { setup, maps, dev, curves } = sharedStart(plan, data, ctx);
  const { threads } = plan;
  ctx.log(
    `${plan.name}: ${threads} worker threads, lock-free (Hogwild) SGD: ` +
      "not bit-reproducible; dev RMSE exact",
  );
  const pool = new WorkerPool(threads, plan.name);
  const every = (task: WorkerTask) => Array.from({ length: threads }, () => task);
  try {
    await pool.run(`${plan.name} set-up`, every(setup));
    for (let epoch = 0; epoch < plan.epochs; epoch++) {
      const label = `${plan.name} epoch ${epoch + 1}/${plan.epochs}`;
      const started = performance.now();
      Atomics.store(setup.counter, 0, 0);
      const sums = await pool.run(`${label} (sgd)`, every({ kind: "train-epoch" }));
      let squaredErrors = 0;
      for (const sum of sums) squaredErrors += sum;
      curves.train[epoch] = Math.sqrt(squaredErrors / setup.ts.ratings.length);
      checkDivergence(plan, curves, epoch);
      const trained = performance.now();
      if (dev.ratings.length > 0) {
        Atomics.store(setup.counter, 0, 0);
        await pool.run(`${label} (dev rmse)`, every({ kind: "dev-predict" }));
        curves.dev[epoch] = rmse(setup.devOut, dev.ratings);
      }
      reportEpoch(plan, curves, epoch, { started, trained, evaluated: performance.now() }, ctx);
    }
  } finally {
    pool.terminate();
  }
  return paramsToTable(unsharedModel(setup.model), { ...setup.ts, ...maps }, curves);
}

/**
 * The start of fit.ts, moved to shared memory. Only the id maps of the unshared trainset
 * are kept (for the parameter table); the rest is left to the garbage collector.
 */
function sharedStart(plan: FitPlan, data: TrainData, ctx: StepContext) {
  const start = startFit(plan, data, ctx);
  const ts = sharedTrainset(start.ts);
  const { dev, curves } = start;
  const trainer = plan.trainer === "svd" ? "svd" : "svdpp-fast";
  const setup: TrainSetupTask = {
    kind: "train-setup",
    trainer,
    rates: plan.rates,
    model: sharedModel(start.model),
    ts,
    counter: sharedInt32(1),
    userChunk: chunkSize(ts.nUsers, plan.threads, CHUNKS_PER_THREAD),
    dev: sharedGroups(groupPairs(ts, dev.users, dev.items)),
    devOut: sharedFloat64(dev.users.length),
    devChunk: chunkSize(ts.nUsers + 1, plan.threads, CHUNKS_PER_THREAD),
    scale: data.scale,
  };
  const maps = { userInner: start.ts.userInner, itemInner: start.ts.itemInner };
  return { setup, maps, dev, curves };
}

function sharedGroups(groups: PairGroups): PairGroups {
  return {
    innerItem: shared(groups.innerItem),
    starts: shared(groups.starts),
    order: shared(groups.order),
  };
}
