/**
 * EASE scores in the kept items' columns, X_u . B, for blocks of users on the block-sum
 * kernel (row_sums.ts): the weights are copied once into (optionally shared) WebAssembly
 * memory with rows padded to the kernel's groups, followed by one scratch slot per thread:
 * a block's output rows, its users' item lists and their offsets.
 */
import type { Precision } from "../linalg/mod.ts";
import { type BlockSums, jsRowSums, paddedStride, wasmRowSums } from "./row_sums.ts";

/** users scored together: their shared rows are read from memory once per chunk */
export const SCORE_BLOCK = 128;

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
  const listBytes = (SCORE_BLOCK * m + SCORE_BLOCK + 1) * 4;
  const slotBytes = SCORE_BLOCK * stride * size + Math.ceil(listBytes / 64) * 64;
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
 * A scoreUser(u, scores) for recommendByScores over `users`, which must be called for those
 * users in that order: at the first user of each block of SCORE_BLOCK it scores the whole
 * block. User u's items are the capped X's (positions in `kept`); scores[kept[j]] gets the
 * sum of column j.
 */
export function blockScorer(
  mem: ScoringMemory,
  slot: number,
  kept: Int32Array,
  x: { userOffsets: Int32Array; userItems: Int32Array },
  users: Int32Array,
  kernel: "auto" | "js" = "auto",
): (u: number, scores: Float64Array) => void {
  const { memory, precision, m, stride, slotBytes } = mem;
  const View = precision === "float32" ? Float32Array : Float64Array;
  const view = new View(memory.buffer as ArrayBuffer);
  const ints = new Int32Array(memory.buffer as ArrayBuffer);
  const size = view.BYTES_PER_ELEMENT;
  const slotStart = m * stride * size + slot * slotBytes;
  const out = slotStart / size;
  const offsets = (slotStart + SCORE_BLOCK * stride * size) / 4;
  const lists = offsets + SCORE_BLOCK + 1;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const sums: BlockSums =
    (kernel === "auto" ? wasmRowSums(memory, stride, precision, shared) : null) ??
      jsRowSums(view, ints, stride, precision);
  let call = 0;
  return (u, scores) => {
    const b = call % SCORE_BLOCK;
    if (b === 0) {
      const count = Math.min(SCORE_BLOCK, users.length - call);
      let filled = 0;
      for (let r = 0; r < count; r++) {
        const user = users[call + r];
        const from = x.userOffsets[user];
        const to = x.userOffsets[user + 1];
        ints[offsets + r] = filled;
        ints.set(x.userItems.subarray(from, to), lists + filled);
        filled += to - from;
      }
      ints[offsets + count] = filled;
      sums(0, lists, offsets, count, out);
    }
    if (users[call] !== u) throw new Error("ease: users scored out of request order");
    call++;
    const row = out + b * stride;
    for (let j = 0; j < m; j++) scores[kept[j]] = view[row + j];
  };
}
