/**
 * EASE scores in the kept items' columns, X_u . B, for blocks of users on the block-sum
 * kernel (row_sums.ts). The weights live in (optionally shared) WebAssembly memory as the
 * m x m table holds them, followed by one scratch slot per thread: a block's output rows
 * (padded to the kernel's groups), its users' item lists and their offsets. The fit turns
 * the memory of its dense inverse into one (scoringMemoryIn), and a recommend in the same
 * process scores on it without a copy when it has slots enough; weights read back from the
 * cache are copied into a new one.
 */
import type { Precision } from "../linalg/mod.ts";
import {
  type BlockSums,
  jsRowSums,
  paddedStride,
  ROW_OVERRUN_BYTES,
  wasmRowSums,
} from "./row_sums.ts";

/** users scored together: their shared rows are read from memory once per chunk */
export const SCORE_BLOCK = 128;

export interface ScoringMemory {
  memory: WebAssembly.Memory;
  precision: Precision;
  /** kept items: the weights are m x m from byte 0 */
  m: number;
  /** padded row length of the output rows, elements */
  stride: number;
  /** byte offset of the first slot (after the weights and the kernel's overrun) */
  slotsStart: number;
  /** byte size of one thread's scratch slot */
  slotBytes: number;
  /** how many slots follow the weights */
  slots: number;
}

const PAGE = 65536;

/** The memory a fit wrote its weights into, by the weights' view of it. */
const written = new WeakMap<Float32Array | Float64Array, ScoringMemory>();

/** Where the slots of an m-item scoring memory start and how large each is. */
function slotLayout(m: number, precision: Precision) {
  const size = precision === "float32" ? 4 : 8;
  const stride = paddedStride(m, precision);
  const listBytes = (SCORE_BLOCK * m + SCORE_BLOCK + 1) * 4;
  const slotBytes = SCORE_BLOCK * stride * size + Math.ceil(listBytes / 64) * 64;
  const slotsStart = Math.ceil((m * m * size + ROW_OVERRUN_BYTES) / 64) * 64;
  return { stride, slotBytes, slotsStart };
}

/** Registers weights at byte 0 of `memory` as a scoring memory with as many slots as fit. */
function register(memory: WebAssembly.Memory, m: number, precision: Precision) {
  const layout = slotLayout(m, precision);
  const slots = Math.floor((memory.buffer.byteLength - layout.slotsStart) / layout.slotBytes);
  const View = precision === "float32" ? Float32Array : Float64Array;
  const weights = new View(memory.buffer as ArrayBuffer, 0, m * m);
  const mem: ScoringMemory = { memory, precision, m, ...layout, slots: Math.max(0, slots) };
  written.set(weights, mem);
  return { mem, weights };
}

/**
 * A scoring memory with room for `slots` threads, and its weights (m x m, zeros) to fill:
 * a recommend on these weights in this process finds the memory (scoringMemory).
 */
export function newScoringMemory(
  m: number,
  precision: Precision,
  slots: number,
  shared: boolean,
): { mem: ScoringMemory; weights: Float32Array | Float64Array } {
  const { slotsStart, slotBytes } = slotLayout(m, precision);
  const pages = Math.max(1, Math.ceil((slotsStart + slots * slotBytes) / PAGE));
  if (pages > 65536) {
    throw new Error(`ease: ${m} x ${m} ${precision} weights do not fit a 4 GiB WebAssembly memory`);
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  return register(memory, m, precision);
}

/**
 * The weights a fit wrote at byte 0 of `memory` (the memory of its dense inverse), as a
 * scoring memory when the rest of it holds at least one slot; null when it does not.
 */
export function scoringMemoryIn(
  memory: WebAssembly.Memory,
  m: number,
  precision: Precision,
): { mem: ScoringMemory; weights: Float32Array | Float64Array } | null {
  const { slotsStart, slotBytes } = slotLayout(m, precision);
  if (memory.buffer.byteLength < slotsStart + slotBytes) return null;
  return register(memory, m, precision);
}

/**
 * The scoring memory of `weights` (m x m) with at least `slots` slots: the one they were
 * written into when it fits (shared if asked, enough slots), else a new one they are copied
 * to.
 */
export function scoringMemory(
  weights: Float32Array | Float64Array,
  m: number,
  slots: number,
  shared: boolean,
): ScoringMemory {
  const own = written.get(weights);
  // a shared memory serves one thread too (the kernel is chosen by the buffer)
  if (
    own && own.m === m && own.slots >= slots &&
    (!shared || own.memory.buffer instanceof SharedArrayBuffer)
  ) return own;
  const precision: Precision = weights instanceof Float32Array ? "float32" : "float64";
  const fresh = newScoringMemory(m, precision, slots, shared);
  fresh.weights.set(weights.subarray(0, m * m));
  return fresh.mem;
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
  if (slot >= mem.slots) throw new Error(`ease: slot ${slot} of a memory with ${mem.slots}`);
  const View = precision === "float32" ? Float32Array : Float64Array;
  const view = new View(memory.buffer as ArrayBuffer);
  const ints = new Int32Array(memory.buffer as ArrayBuffer);
  const size = view.BYTES_PER_ELEMENT;
  const slotStart = mem.slotsStart + slot * slotBytes;
  const out = slotStart / size;
  const offsets = (slotStart + SCORE_BLOCK * stride * size) / 4;
  const lists = offsets + SCORE_BLOCK + 1;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const sums: BlockSums =
    (kernel === "auto" ? wasmRowSums(memory, stride, m, precision, shared) : null) ??
      jsRowSums(view, ints, stride, m, precision);
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
