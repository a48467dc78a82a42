/**
 * Dense linear algebra for the linear models: an n x n workspace and the in-place inverse of
 * a symmetric positive-definite matrix (blocked Cholesky, then the inverse from the factor),
 * or the factor alone for solves, on a WebAssembly SIMD kernel, over worker threads when
 * asked, with a plain JavaScript fallback.
 */
import { type DenseWorkspace, denseWorkspace, MAX_PAGES } from "./dense_workspace.ts";
import { jsPanelKernel, type Precision, wasmPanelKernel } from "./panel_kernel.ts";
import { linalgPool, poolRunner } from "./pool_runner.ts";
import { type BinaryColumns, gramLower } from "./sparse_gram.ts";
import { invertSpd, symmetrize } from "./spd_inverse.ts";
import { type JobRunner, localRunner } from "./update_jobs.ts";

export { denseBytes, type DenseWorkspace } from "./dense_workspace.ts";
export { solveWithFactor } from "./cholesky_solve.ts";
export type { BinaryColumns } from "./sparse_gram.ts";
export { inverseFlops, NotPositiveDefinite } from "./spd_inverse.ts";
export type { Precision } from "./panel_kernel.ts";

export interface InverseOptions {
  /** "auto": WebAssembly SIMD where it runs, else JavaScript */
  kernel?: "auto" | "wasm" | "js";
  /** worker threads for the kernel (WebAssembly only); 1: this thread */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A workspace for an n x n matrix; `shared` memory lets worker threads use it. */
export function openWorkspace(n: number, precision: Precision, shared: boolean): DenseWorkspace {
  return denseWorkspace(n, precision, shared);
}

/**
 * Replaces the SPD matrix whose lower triangle fills ws's leading n x n by its inverse, whole
 * (both triangles). Returns the kernel that ran. Throws NotPositiveDefinite on a pivot <= 0.
 */
export async function invertInPlace(
  ws: DenseWorkspace,
  options: InverseOptions = {},
): Promise<{ kernel: string; threads: number }> {
  const runner = await chooseRunner(ws, options);
  try {
    await invertSpd(ws, runner, options.onProgress);
    symmetrize(ws);
    return { kernel: runner.kernel, threads: runner.threads };
  } finally {
    runner.close();
  }
}

/**
 * Replaces the SPD matrix whose lower triangle fills ws's leading n x n by its Cholesky factor
 * L (G = L L^T, in the lower triangle; a third of the inverse's work), for solveWithFactor.
 * Throws NotPositiveDefinite on a pivot <= 0.
 */
export async function choleskyInPlace(
  ws: DenseWorkspace,
  options: InverseOptions = {},
): Promise<{ kernel: string; threads: number }> {
  const runner = await chooseRunner(ws, options);
  try {
    await invertSpd(ws, runner, options.onProgress, "cholesky");
    return { kernel: runner.kernel, threads: runner.threads };
  } finally {
    runner.close();
  }
}

/**
 * Fills the lower triangle of ws's leading n x n with X^T X + lambda I for the binary X
 * (n = its columns), on `threads` workers when the workspace memory is shared.
 */
export async function fillGram(
  ws: DenseWorkspace,
  x: BinaryColumns,
  lambda: number,
  threads = 1,
): Promise<void> {
  const { ld, precision } = ws.layout;
  if (threads <= 1 || !(ws.memory.buffer instanceof SharedArrayBuffer)) {
    gramLower(ws.view, ld, x, lambda);
    return;
  }
  const pool = linalgPool(threads);
  try {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const task = {
      kind: "gram" as const,
      memory: ws.memory,
      precision,
      ld,
      x: {
        userOffsets: shared(x.userOffsets),
        userItems: shared(x.userItems),
        itemOffsets: shared(x.itemOffsets),
        itemUsers: shared(x.itemUsers),
      },
      lambda,
      counter,
      chunk: 16,
    };
    await pool.run("X^T X", new Array(threads).fill(task));
  } finally {
    pool.terminate();
  }
}

function shared(array: Int32Array): Int32Array {
  const copy = new Int32Array(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

async function chooseRunner(ws: DenseWorkspace, options: InverseOptions): Promise<JobRunner> {
  const { precision } = ws.layout;
  const wanted = options.kernel ?? "auto";
  const shared = ws.memory.buffer instanceof SharedArrayBuffer;
  if (wanted !== "js") {
    const kernel = wasmPanelKernel(ws.memory, precision, { shared, maximumPages: MAX_PAGES });
    if (kernel !== null) {
      const threads = options.threads ?? 1;
      return threads > 1 && shared ? await poolRunner(ws, threads) : localRunner(kernel);
    }
    if (wanted === "wasm") throw new Error("WebAssembly SIMD is not available here");
  }
  return localRunner(jsPanelKernel(ws.view, precision));
}
