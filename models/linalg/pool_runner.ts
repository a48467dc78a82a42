/**
 * Runs update jobs on `threads` workers (worker.ts) sharing the workspace memory: each
 * worker claims the next job from a shared counter until none is left, so a worker slowed
 * by other load takes fewer. Every job writes its own block of C the same way whoever runs
 * it, so the inverse is the same for any number of threads.
 */
import { WorkerPool } from "../worker_pool.ts";
import type { DenseWorkspace } from "./dense_workspace.ts";
import type { Precision } from "./panel_kernel.ts";
import type { BinaryColumns } from "./sparse_gram.ts";
import type { JobRunner, UpdateJobs } from "./update_jobs.ts";

export type LinalgTask =
  | { kind: "setup"; memory: WebAssembly.Memory; precision: Precision }
  | { kind: "jobs"; jobs: Int32Array; count: number; counter: Int32Array }
  | {
    kind: "gram";
    memory: WebAssembly.Memory;
    precision: Precision;
    ld: number;
    /** in shared memory */
    x: BinaryColumns;
    lambda: number;
    counter: Int32Array;
    /** rows per claim */
    chunk: number;
  };

/** The workers of the dense routines, over shared memory. */
export function linalgPool(threads: number): WorkerPool<LinalgTask> {
  return new WorkerPool<LinalgTask>(
    new URL("./worker.ts", import.meta.url),
    threads,
    "dense linear algebra",
  );
}

/** A runner over a pool of workers; the workspace memory must be shared. */
export async function poolRunner(ws: DenseWorkspace, threads: number): Promise<JobRunner> {
  if (!(ws.memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error("poolRunner: the workspace memory must be shared");
  }
  const pool = linalgPool(threads);
  const setup: LinalgTask = { kind: "setup", memory: ws.memory, precision: ws.layout.precision };
  try {
    await pool.run("dense inverse set-up", new Array(threads).fill(setup));
  } catch (error) {
    pool.terminate();
    throw error;
  }
  const counter = new Int32Array(new SharedArrayBuffer(4));
  return {
    kernel: "wasm-simd (workers)",
    threads,
    async run(jobs: UpdateJobs) {
      counter[0] = 0;
      const task: LinalgTask = { kind: "jobs", jobs: jobs.jobs, count: jobs.count, counter };
      await pool.run("dense inverse", new Array(threads).fill(task));
    },
    close: () => pool.terminate(),
  };
}
