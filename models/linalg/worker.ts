/// <reference lib="deno.worker" />
/**
 * The dense-kernel worker: instantiates the panel kernel over the workspace memory shared
 * with the main thread, then runs update jobs claimed one by one from a shared counter, or
 * counts rows of a sparse Gram matrix claimed in chunks.
 */
import { serveTasks } from "../worker_pool.ts";
import { type PanelKernel, wasmPanelKernel } from "./panel_kernel.ts";
import { MAX_PAGES } from "./dense_workspace.ts";
import { JOB_FIELDS, runJobs } from "./update_jobs.ts";
import { gramLower } from "./sparse_gram.ts";
import { claimChunks } from "../svdpp/chunks.ts";
import type { LinalgTask } from "./pool_runner.ts";

let kernel: PanelKernel | null = null;

serveTasks<LinalgTask>(run);

function run(task: LinalgTask): number {
  if (task.kind === "setup") {
    kernel = wasmPanelKernel(task.memory, task.precision, {
      shared: true,
      maximumPages: MAX_PAGES,
    });
    if (kernel === null) throw new Error("WebAssembly SIMD is not available in the worker");
    return 0;
  }
  if (task.kind === "gram") {
    const { memory, precision, ld, x, lambda, counter, chunk } = task;
    const View = precision === "float32" ? Float32Array : Float64Array;
    const view = new View(memory.buffer as ArrayBuffer);
    claimChunks(counter, x.itemOffsets.length - 1, chunk, (from, to) => {
      gramLower(view, ld, x, lambda, from, to);
    });
    return 0;
  }
  if (kernel === null) throw new Error("linalg worker: jobs came before setup");
  const { jobs, count, counter } = task;
  let done = 0;
  for (;;) {
    const j = Atomics.add(counter, 0, 1);
    if (j >= count) return done;
    runJobs(kernel, jobs, j, j + 1);
    done += jobs[j * JOB_FIELDS + 4] * jobs[j * JOB_FIELDS + 5];
  }
}
