/// <reference lib="deno.worker" />
/**
 * The svdpp worker: runs the tasks of worker_tasks.ts on memory shared with the main thread
 * and replies to each, an exception included, so the main thread can name what failed.
 */
import { claimChunks } from "./chunks.ts";
import { predictGroups } from "./predict.ts";
import { BlockRecommender } from "./recommend.ts";
import { fastScratch, fastSvdppEpoch } from "./train_fast.ts";
import { svdEpoch } from "./train_svd.ts";
import { serveTasks } from "../worker_pool.ts";
import type { TrainSetupTask, WorkerTask } from "./worker_tasks.ts";

/** The training set-up, kept across epochs, and its SGD over a range of users. */
let training: { setup: TrainSetupTask; sgd: (from: number, to: number) => number } | null = null;

serveTasks<WorkerTask>(run);

function run(task: WorkerTask): number {
  switch (task.kind) {
    case "train-setup":
      training = { setup: task, sgd: sgdOver(task) };
      return 0;
    case "train-epoch": {
      const { setup, sgd } = requireTraining();
      let squaredErrors = 0;
      claimChunks(setup.counter, setup.ts.nUsers, setup.userChunk, (from, to) => {
        squaredErrors += sgd(from, to);
      });
      return squaredErrors;
    }
    case "dev-predict": {
      const { model, ts, dev, devOut, scale, counter, devChunk } = requireTraining().setup;
      // bucket 0 is the unknown users, bucket u + 1 inner user u (predict.ts)
      claimChunks(counter, ts.nUsers + 1, devChunk, (from, to) => {
        predictGroups(model, ts, dev, from, to, scale, devOut);
      });
      return 0;
    }
    case "recommend": {
      const { model, ts, nItems, scale, request, itemIds, out, counter, chunk } = task;
      const recommender = new BlockRecommender(model, ts, nItems, scale, request, itemIds);
      claimChunks(counter, request.users.length, chunk, (from, to) => {
        recommender.run(from, to, out);
      });
      return 0;
    }
  }
}

function sgdOver(setup: TrainSetupTask): (from: number, to: number) => number {
  const { ts, model, rates } = setup;
  if (setup.trainer === "svd") return (from, to) => svdEpoch(ts, model, rates, from, to);
  const scratch = fastScratch(model.factors);
  return (from, to) => fastSvdppEpoch(ts, model, rates, scratch, from, to);
}

function requireTraining() {
  if (training === null) throw new Error("svdpp worker: an epoch task came before train-setup");
  return training;
}
