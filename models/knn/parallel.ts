/**
 * Runs `total` units of independent work (entities, users) in chunks: on this thread when
 * `threads` is 1, else in knn workers (the shared worker pool) claiming chunks from a shared
 * counter. Each unit is computed the same way whoever runs it, so results do not depend on
 * the thread count. Progress, with rate and ETA, goes to ctx.progress either way.
 */
import type { StepContext } from "../model.ts";
import { chunkSize } from "../svdpp/chunks.ts";
import { sharedInt32 } from "../svdpp/shared_memory.ts";
import { WorkerPool } from "../worker_pool.ts";
import type { KnnTask } from "./worker_tasks.ts";

/** Chunks per worker: small enough to even out costly entities and a core slowed by others. */
const CHUNKS_PER_THREAD = 64;
/** Chunks of the one-thread loop, between progress reports. */
const LOCAL_CHUNKS = 256;

export interface ChunkedWork {
  /** names the work in errors and the worker threads */
  label: string;
  total: number;
  unit: string;
  threads: number;
  /** this thread's worker (threads 1): computes units from .. to */
  local: () => (from: number, to: number) => void;
  /** worker w's task (threads > 1), given the counter and chunk size to claim with */
  task: (counter: Int32Array, chunk: number, worker: number) => KnnTask;
}

export async function runChunked(work: ChunkedWork, ctx: StepContext): Promise<void> {
  const { total, unit, threads } = work;
  if (threads <= 1) {
    const run = work.local();
    const chunk = Math.max(1, Math.ceil(total / LOCAL_CHUNKS));
    for (let from = 0; from < total; from += chunk) {
      run(from, Math.min(total, from + chunk));
      ctx.progress(Math.min(total, from + chunk), total, unit);
    }
    return;
  }
  const counter = sharedInt32(2);
  const chunk = chunkSize(total, threads, CHUNKS_PER_THREAD);
  const tasks = Array.from({ length: threads }, (_, w) => work.task(counter, chunk, w));
  const pool = new WorkerPool<KnnTask>(new URL("./worker.ts", import.meta.url), threads, "knn");
  const timer = setInterval(() => ctx.progress(Atomics.load(counter, 1), total, unit), 500);
  try {
    await pool.run(`${work.label} (${threads} threads)`, tasks);
  } finally {
    clearInterval(timer);
    pool.terminate();
  }
  ctx.progress(total, total, unit);
}
