/**
 * Top-k for the factor models (ials, bpr): score = x_u·y_i (+ b_i) over the whole catalogue
 * (or the request's candidates), seen items excluded, ties to the lower item index, through
 * the shared top-k of recommend_by_scores.ts. With threads > 1 workers claim chunks of users;
 * each user's list is computed exactly as on one thread, so the lists are identical.
 */
import type { RecommendRequest, StepContext } from "../model.ts";
import { chunkSize } from "../svdpp/chunks.ts";
import { shared, sharedInt32 } from "../svdpp/shared_memory.ts";
import { POOL_MIN_USERS, WorkerPool } from "../worker_pool.ts";
import type { FactorScores } from "./factor_scores.ts";
import { chunkRecommender } from "./factor_recommend_chunk.ts";
import { claimedRows, pollProgress } from "./progress_polling.ts";
import type { FactorRecommendTask, FactorWorkerTask } from "./worker_tasks.ts";

const CHUNKS_PER_THREAD = 32;
export const WORKER_URL = new URL("./worker.ts", import.meta.url);

export async function recommendFactors(
  name: string,
  model: FactorScores,
  request: RecommendRequest,
  threads: number,
  ctx: Pick<StepContext, "progress">,
): Promise<Int32Array> {
  if ((request.ties ?? "item") !== "item") {
    throw new Error(`${name}: ties ${request.ties} is not supported (only item)`);
  }
  const total = request.users.length;
  const out = new Int32Array(total * request.k);
  if (threads <= 1 || total < POOL_MIN_USERS) {
    chunkRecommender(model, request)(0, total, out, (done) => ctx.progress(done, total, "users"));
    return out;
  }
  const pool = new WorkerPool<FactorWorkerTask>(WORKER_URL, threads, `${name} recommend`);
  try {
    return await recommendInPool(pool, name, model, request, ctx);
  } finally {
    pool.terminate();
  }
}

/**
 * The lists computed by the workers of `pool` (ials or bpr workers, which both take a
 * factor-recommend task), each claiming chunks of users.
 */
export async function recommendInPool(
  pool: Pick<WorkerPool<FactorRecommendTask>, "size" | "run">,
  name: string,
  model: FactorScores,
  request: RecommendRequest,
  ctx: Pick<StepContext, "progress">,
): Promise<Int32Array> {
  const threads = pool.size;
  const total = request.users.length;
  const task: FactorRecommendTask = {
    kind: "factor-recommend",
    model: {
      ...model,
      userFactors: shared(model.userFactors),
      itemFactors: shared(model.itemFactors),
      itemBias: model.itemBias === null ? null : shared(model.itemBias),
    },
    request: {
      users: shared(request.users),
      k: request.k,
      exclude: request.exclude === null
        ? null
        : { offsets: shared(request.exclude.offsets), values: shared(request.exclude.values) },
      candidates: request.candidates === null ? null : shared(request.candidates),
    },
    out: sharedInt32(total * request.k),
    counter: sharedInt32(1),
    chunk: chunkSize(total, threads, CHUNKS_PER_THREAD, 64),
  };
  await pollProgress(
    pool.run(`${name} recommend (${total} users, ${threads} threads)`, Array(threads).fill(task)),
    () => claimedRows(task.counter, task.chunk, total),
    (done) => ctx.progress(done, total, "users"),
  );
  ctx.progress(total, total, "users");
  return task.out.slice();
}
