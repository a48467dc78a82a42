import type { RecommendRequest } from "../model.ts";
import type { AlsSide, ScratchVectors } from "./als_rows.ts";
import type { FactorScores } from "./factor_scores.ts";

/**
 * Messages between the main thread and the factor-model workers (worker.ts). Every array
 * lives in shared memory (svdpp/shared_memory.ts), so posting a task shares it; workers
 * claim chunks of rows from a shared counter (svdpp/chunks.ts) zeroed before each task.
 */

/** Kept by the worker for the epochs that follow. */
export interface AlsSetupTask {
  kind: "als-setup";
  users: AlsSide;
  items: AlsSide;
  counter: Int32Array;
  userChunk: number;
  itemChunk: number;
  /** the memory the arrays are views of, when the SIMD kernels run (wasm_rows.ts) */
  memory: WebAssembly.Memory | null;
  /** this worker's scratch vectors in that memory */
  scratch: ScratchVectors | null;
}

/** Solves the claimed rows of one side; replies 0. */
export interface AlsSolveTask {
  kind: "als-solve";
  side: "users" | "items";
}

/** Writes the top-k of the claimed request.users into `out`; replies 0. */
export interface FactorRecommendTask {
  kind: "factor-recommend";
  model: FactorScores;
  request: RecommendRequest;
  out: Int32Array;
  counter: Int32Array;
  chunk: number;
}

export type FactorWorkerTask = AlsSetupTask | AlsSolveTask | FactorRecommendTask;
