/**
 * EASE scores of one user in the kept items' columns, X_u . B, on the row-sum kernel: the
 * weights are copied once into (optionally shared) WebAssembly memory with rows padded to the
 * kernel's chunk, followed by one scratch slot (a user's item list and the sums) per thread.
 */
import type { Precision } from "../linalg/mod.ts";
import { jsRowSums, paddedStride, type RowSums, wasmRowSums } from "./row_sums.ts";

export interface ScoringMemory {
  memory: WebAssembly.Memory;
  precision: Precision;
  /** kept items */
  m: number;
  /** padded row length of the weights, elements */
  stride: number;
  /** byte size of one thread's scratch slot; slots start after the weights */
  slotBytes: number;
}

const PAGE = 65536;

export function scoringMemory(
  weights: Float32Array | Float64Array,
  m: number,
  slots: number,
  shared: boolean,
): ScoringMemory {
  const precision: Precision = weights instanceof Float32Array ? "float32" : "float64";
  const size = weights.BYTES_PER_ELEMENT;
  const stride = paddedStride(m, precision);
  const slotBytes = stride * size + Math.ceil((m * 4) / 256) * 256;
  const total = m * stride * size + slots * slotBytes;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (pages > 65536) {
    throw new Error(`ease: ${m} x ${m} ${precision} weights do not fit a 4 GiB WebAssembly memory`);
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  const View = precision === "float32" ? Float32Array : Float64Array;
  const view = new View(memory.buffer as ArrayBuffer);
  for (let i = 0; i < m; i++) view.set(weights.subarray(i * m, (i + 1) * m), i * stride);
  return { memory, precision, m, stride, slotBytes };
}

/**
 * A scoreUser(u, scores) for recommendByScores: user u's items are the capped X's
 * (positions in `kept`, ascending); scores[kept[j]] gets column j's sum.
 */
export function userScorer(
  mem: ScoringMemory,
  slot: number,
  kept: Int32Array,
  x: { userOffsets: Int32Array; userItems: Int32Array },
  kernel: "auto" | "js" = "auto",
): (u: number, scores: Float64Array) => void {
  const { memory, precision, m, stride, slotBytes } = mem;
  const View = precision === "float32" ? Float32Array : Float64Array;
  const view = new View(memory.buffer as ArrayBuffer);
  const ints = new Int32Array(memory.buffer as ArrayBuffer);
  const size = view.BYTES_PER_ELEMENT;
  const slotStart = m * stride * size + slot * slotBytes;
  const out = slotStart / size;
  const list = (slotStart + stride * size) / 4;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const rowSums: RowSums =
    (kernel === "auto" ? wasmRowSums(memory, stride, precision, shared) : null) ??
      jsRowSums(view, ints, stride, precision);
  return (u, scores) => {
    const from = x.userOffsets[u];
    const count = x.userOffsets[u + 1] - from;
    ints.set(x.userItems.subarray(from, from + count), list);
    rowSums(0, list, count, out);
    for (let j = 0; j < m; j++) scores[kept[j]] = view[out + j];
  };
}
