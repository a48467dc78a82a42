import type { RecommendRequest } from "../model.ts";
import type { SgdRates } from "./config.ts";
import type { FactorModel } from "./factors.ts";
import type { PairGroups } from "./predict.ts";
import type { ScoringSet } from "./recommend.ts";
import type { Trainset } from "./trainset.ts";

/**
 * The messages between the main thread and the svdpp workers (worker.ts). Every array in a
 * task lives in shared memory (shared_memory.ts), so posting a task shares it, and workers
 * claim chunks of users from a shared counter (chunks.ts) that the main thread zeroes before
 * each task.
 */

/** Kept by the worker for the epochs that follow. */
export interface TrainSetupTask {
  kind: "train-setup";
  trainer: "svd" | "svdpp-fast";
  rates: SgdRates;
  model: FactorModel;
  ts: Trainset;
  counter: Int32Array;
  /** inner users per chunk of an epoch */
  userChunk: number;
  /** the dev pairs, grouped by user, and where their clipped predictions go */
  dev: PairGroups;
  devOut: Float64Array;
  /** user buckets per chunk of the dev predictions */
  devChunk: number;
  scale: readonly [number, number];
}

/** One lock-free SGD pass over the claimed users; replies with their squared errors. */
export interface TrainEpochTask {
  kind: "train-epoch";
}

/** Writes the dev predictions of the claimed users into devOut; replies 0. */
export interface DevPredictTask {
  kind: "dev-predict";
}

/** Writes the top-k of the claimed users into `out`; replies 0. */
export interface RecommendTask {
  kind: "recommend";
  model: FactorModel;
  ts: ScoringSet;
  nItems: number;
  scale: readonly [number, number];
  request: RecommendRequest;
  /** raw item ids, hashed by the python tie orders */
  itemIds: Int32Array;
  out: Int32Array;
  counter: Int32Array;
  /** request.users per chunk */
  chunk: number;
}

export type WorkerTask = TrainSetupTask | TrainEpochTask | DevPredictTask | RecommendTask;

export type { WorkerReply } from "../worker_pool.ts";
