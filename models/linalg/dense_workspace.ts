/**
 * One block of WebAssembly memory holding a dense n x n matrix (row-major, padded to a
 * multiple of the block size, leading dimension `ld`) and the packed panels the kernel reads.
 * The matrix view is handed to the caller to fill and read; the kernel (WebAssembly or plain
 * JavaScript) and, with threads, the workers all address the same memory.
 */
import { type Elements, MR, nrOf, type Precision } from "./panel_kernel.ts";

/** The block size: a multiple of MR and of both NRs; 144 keeps the kernel near its peak. */
export const BLOCK = 144;
const PAGE = 65536;
/** The most pages a wasm32 memory can have (4 GiB). */
export const MAX_PAGES = 65536;

export interface DenseLayout {
  n: number;
  /** padded size and leading dimension: a multiple of BLOCK */
  ld: number;
  precision: Precision;
  /** element offsets of the regions */
  matrix: number;
  /** a panel packed as A strips (MR rows) and as B strips (NR rows), ld x BLOCK each */
  packA: number;
  packB: number;
  /** a BLOCK x BLOCK triangle packed as A and as B */
  packDiagA: number;
  packDiagB: number;
  elements: number;
}

export function denseLayout(n: number, precision: Precision): DenseLayout {
  // a guard for edits of the constants: tiles must divide the block
  if (BLOCK % MR || BLOCK % nrOf(precision)) throw new Error("BLOCK must divide by MR and NR");
  const ld = Math.max(BLOCK, Math.ceil(n / BLOCK) * BLOCK);
  const matrix = 0;
  const packA = ld * ld;
  const packB = packA + ld * BLOCK;
  const packDiagA = packB + ld * BLOCK;
  const packDiagB = packDiagA + BLOCK * BLOCK;
  return {
    n,
    ld,
    precision,
    matrix,
    packA,
    packB,
    packDiagA,
    packDiagB,
    elements: packDiagB + BLOCK * BLOCK,
  };
}

/** Bytes a workspace of order n takes. */
export function denseBytes(n: number, precision: Precision): number {
  return denseLayout(n, precision).elements * (precision === "float32" ? 4 : 8);
}

export interface DenseWorkspace {
  layout: DenseLayout;
  memory: WebAssembly.Memory;
  /** every element of the memory */
  view: Elements;
}

/** Allocates the memory (shared when workers will use it); refuses what wasm32 cannot hold. */
export function denseWorkspace(n: number, precision: Precision, shared: boolean): DenseWorkspace {
  const layout = denseLayout(n, precision);
  const bytes = layout.elements * (precision === "float32" ? 4 : 8);
  const pages = Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) {
    throw new Error(
      `a dense ${n} x ${n} ${precision} matrix needs ${(bytes / 2 ** 30).toFixed(1)} GiB, more ` +
        "than the 4 GiB a WebAssembly memory holds: cap the items or use float32",
    );
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  const View = precision === "float32" ? Float32Array : Float64Array;
  return { layout, memory, view: new View(memory.buffer as ArrayBuffer, 0, layout.elements) };
}
