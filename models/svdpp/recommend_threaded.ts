import type { RecommendRequest } from "../model.ts";
import { chunkSize } from "./chunks.ts";
import type { FactorModel } from "./factors.ts";
import { checkRequest, USER_BLOCK } from "./recommend.ts";
import { shared, sharedInt32, sharedModel, sharedScoringSet } from "./shared_memory.ts";
import type { Trainset } from "./trainset.ts";
import { WorkerPool } from "./worker_pool.ts";
import type { RecommendTask } from "./worker_tasks.ts";

/** Chunks of users per worker: small enough to even out a worker slowed by other load. */
const CHUNKS_PER_THREAD = 32;

/**
 * recommend.ts's top-k with `threads` workers: the parameters, the users' rated items and
 * the request go to shared memory once, and each worker scores the chunks of users it
 * claims with the same kernel and top-k. Every user's list is computed exactly as with one
 * thread, so the result is identical to recommendTopK's.
 */
export async function recommendThreaded(
  model: FactorModel,
  ts: Trainset,
  nUsers: number,
  nItems: number,
  scale: readonly [number, number],
  request: RecommendRequest,
  itemIds: Int32Array,
  threads: number,
): Promise<Int32Array> {
  checkRequest(request, nUsers, nItems, itemIds);
  const { users, k, exclude, candidates, ties } = request;
  const task: RecommendTask = {
    kind: "recommend",
    model: sharedModel(model),
    ts: sharedScoringSet(ts),
    nItems,
    scale,
    request: {
      users: shared(users),
      k,
      exclude: exclude === null
        ? null
        : { offsets: shared(exclude.offsets), values: shared(exclude.values) },
      candidates: candidates === null ? null : shared(candidates),
      ties,
    },
    itemIds: shared(itemIds),
    out: sharedInt32(users.length * k),
    counter: sharedInt32(1),
    // whole blocks of the kernel per chunk
    chunk: chunkSize(users.length, threads, CHUNKS_PER_THREAD, USER_BLOCK),
  };
  const pool = new WorkerPool(threads, "svdpp recommend");
  try {
    await pool.run(
      `svdpp recommend (${users.length} users, ${threads} threads)`,
      Array.from({ length: threads }, () => task),
    );
  } finally {
    pool.terminate();
  }
  return task.out.slice();
}
