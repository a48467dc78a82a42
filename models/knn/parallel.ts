/**
 * Runs `count` units of independent work (entities, users) in chunks: on this thread when
 * `threads` is 1, else in knn workers (the shared worker pool) claiming chunks from a shared
 * counter. Each unit is computed the same way whoever runs it, so results do not depend on
 * the thread count. Progress, with rate and ETA, goes to ctx.progress either way; workers add
 * the units they finish to counter[1].
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
  /** entities (users) to compute, 0 .. count */
  count: number;
  /** the progress units of all of them (entities, or pairs when their costs differ widely) */
  total: number;
  unit: string;
  threads: number;
  /** this thread's worker (threads 1): computes entities from .. to, returns its units */
  local: () => (from: number, to: number) => number;
  /** worker w's task (threads > 1), given the counter and chunk size to claim with */
  task: (counter: Int32Array, chunk: number, worker: number) => KnnTask;
}

export async function runChunked(work: ChunkedWork, ctx: StepContext): Promise<void> {
  const { count, total, unit, threads } = work;
  if (threads <= 1) {
    const run = work.local();
    const chunk = Math.max(1, Math.ceil(count / LOCAL_CHUNKS));
    let done = 0;
    for (let from = 0; from < count; from += chunk) {
      done += run(from, Math.min(count, from + chunk));
      ctx.progress(done, total, unit);
    }
    return;
  }
  const counter = sharedInt32(2);
  const chunk = chunkSize(count, threads, CHUNKS_PER_THREAD);
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
