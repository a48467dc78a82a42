import type { RecommendRequest } from "../model.ts";
import type { Measure, NeighbourGraph, NeighbourHeaps } from "./neighbours.ts";
import type { ScoreBasis, UserItems } from "./score.ts";
import type { SparseRows } from "./sparse_rows.ts";

/**
 * The messages between the main thread and the knn workers (worker.ts). Every array in a
 * task lives in shared memory, and workers claim chunks of entities (or users) from
 * counter[0]; counter[1] counts the entities (users) done, for progress.
 */

/** Offers the pairs of the claimed entities to this worker's `heaps`; replies 0. */
export interface NeighboursTask {
  kind: "neighbours";
  graph: NeighbourGraph;
  measure: Measure;
  heaps: NeighbourHeaps;
  counter: Int32Array;
  chunk: number;
}

/** Writes the top-k of the claimed request.users into `out`; replies 0. */
export interface RecommendTask {
  kind: "recommend";
  weights: SparseRows;
  x: UserItems;
  basis: ScoreBasis;
  nItems: number;
  request: RecommendRequest;
  out: Int32Array;
  counter: Int32Array;
  chunk: number;
}

export type KnnTask = NeighboursTask | RecommendTask;
