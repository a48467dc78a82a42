/// <reference lib="deno.worker" />
/**
 * The iALS / factor-recommend worker: runs the tasks of worker_tasks.ts on memory shared
 * with the main thread and replies to each, an exception included.
 */
import { claimChunks } from "../svdpp/chunks.ts";
import { serveTasks } from "../worker_pool.ts";
import { type AlsScratch, alsScratch, solveRows } from "./als_rows.ts";
import { chunkRecommender } from "./factor_recommend_chunk.ts";
import { rowKernels } from "./wasm_rows.ts";
import type { AlsSetupTask, FactorWorkerTask } from "./worker_tasks.ts";

let als: { setup: AlsSetupTask; scratch: AlsScratch } | null = null;

serveTasks<FactorWorkerTask>(run);

function run(task: FactorWorkerTask): number {
  switch (task.kind) {
    case "als-setup": {
      const f = task.users.factors;
      const kernels = task.memory === null ? null : rowKernels(task.memory, f);
      if (task.memory !== null && kernels === null) {
        throw new Error("ials worker: the SIMD row kernels do not compile here");
      }
      als = { setup: task, scratch: alsScratch(f, kernels, task.scratch ?? undefined) };
      return 0;
    }
    case "als-solve": {
      if (als === null) throw new Error("ials worker: a solve task came before als-setup");
      const { setup, scratch } = als;
      const side = setup[task.side];
      const chunk = task.side === "users" ? setup.userChunk : setup.itemChunk;
      const rows = side.offsets.length - 1;
      claimChunks(setup.counter, rows, chunk, (from, to) => solveRows(side, scratch, from, to));
      return 0;
    }
    case "factor-recommend": {
      const { model, request, out, counter, chunk } = task;
      const recommend = chunkRecommender(model, request);
      claimChunks(counter, request.users.length, chunk, (from, to) => recommend(from, to, out));
      return 0;
    }
  }
}
