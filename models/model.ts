import type { z } from "zod";
import type { Ratings } from "../data/ratings.ts";
import type { Table } from "../runners/table.ts";
import type { TieOrder } from "./recommender_fields.ts";

export type { TieOrder };

/** What a step receives besides its inputs: seeding, progress and logging. */
export interface StepContext {
  /** the experiment seed, already combined with the step's name */
  seed: number;
  /** "seeded" (project default, seedrandom) or "numpy" (legacy MT19937, for exact replays) */
  rng: "seeded" | "numpy";
  /** reports progress of long work (done out of total units) */
  progress(done: number, total: number, unit?: string): void;
  /** one line of information on stderr, kept in run.json as well */
  log(message: string): void;
}

/** The training data a rating model sees: the ratings table and the row indices of each part. */
export interface TrainData {
  ratings: Ratings;
  /** rows used for training, in the order they should be visited */
  train: Int32Array;
  /** rows for early stopping / learning curves (may be empty) */
  dev: Int32Array;
  nUsers: number;
  nItems: number;
  /** the rating scale, for clipping predictions */
  scale: [number, number];
}

/** Which items to score for each user when recommending. */
export interface RecommendRequest {
  /** dense user indices to recommend to */
  users: Int32Array;
  k: number;
  /** dense item indices to exclude per user (CSR indexed by dense user), or null */
  exclude: { offsets: Int32Array; values: Int32Array } | null;
  /**
   * dense item indices that may be recommended, or null for the whole catalogue (in dense
   * order); their order is the order the study's script built its set in (`ties`)
   */
  candidates: Int32Array | null;
  /** the order among equal scores (recommender_fields.ts); absent: `item` */
  ties?: TieOrder;
}

/**
 * A model: a validated config plus fit and recommend/predict. Parameters are returned as
 * a table of typed columns so the cache can store them as Arrow IPC.
 */
export interface ModelDefinition<C = Record<string, unknown>> {
  type: string;
  description: string;
  /**
   * the files of the model's code (usually `[import.meta.url]` of the module defining it):
   * they and what they import enter the fingerprints of the steps that run the model, so
   * editing the model re-runs its steps and no other model's
   */
  modules: string[];
  /** zod schema of the hyperparameters, with defaults */
  config: z.ZodType<C>;
  fit(config: C, data: TrainData, ctx: StepContext): Promise<Table> | Table;
  /**
   * Top-k dense item indices per user, flattened: users.length * k entries, -1 where a user
   * has fewer than k candidates.
   */
  /** the `ties` orders recommend() honours besides `item` */
  ties?: readonly TieOrder[];
  recommend?(
    config: C,
    params: Table,
    data: TrainData,
    request: RecommendRequest,
    ctx: StepContext,
  ): Promise<Int32Array> | Int32Array;
  /** predicted ratings (clipped to the scale) for (user, item) pairs of dense indices; -1 = unknown */
  predict?(
    config: C,
    params: Table,
    data: TrainData,
    users: Int32Array,
    items: Int32Array,
  ): Float64Array;
}
