/**
 * The scoring kernel of the item-item models: for each user of a block, out_b = the sum of
 * the weight rows of the user's items, for every column. The weights are far larger than the
 * caches, so the WebAssembly SIMD version walks the columns in chunks of 4 KiB and, within a
 * chunk, every user of the block, so that rows the block's users share can come from cache
 * (on this shared 2-core machine that measured no faster than one user at a time: memory
 * bandwidth bounds both). Each row's chunk streams contiguously, four v128 at a time. Rows
 * are added in list order, as the plain JavaScript version (the fallback) does, so both give
 * the same sums bit for bit. The block's output rows are `stride` elements apart, a multiple
 * of 64 bytes; weight rows are `rowStride` apart (the weights' own m, unpadded), so the last
 * group of a row reads up to 60 bytes past it, into the next row (or, for the last row, into
 * the slack the memory keeps after the weights): those sums land only in the output's
 * padding columns, which no one reads.
 */
import { F32X4, F64X2, I32, moduleBytes, op } from "../linalg/wasm_encoder.ts";
import type { Precision } from "../linalg/mod.ts";

/** columns per pass: 4 KiB of each row */
const CHUNK_BYTES = 4096;
/** rows are padded to whole groups of four v128 */
const GROUP_BYTES = 64;
/** the padded row length (elements) of an m-column weight matrix */
export const paddedStride = (m: number, precision: Precision) => {
  const perGroup = GROUP_BYTES / (precision === "float32" ? 4 : 8);
  return Math.max(perGroup, Math.ceil(m / perGroup) * perGroup);
};

/** Bytes kept readable after the weights: the last row's last group overruns by < 64. */
export const ROW_OVERRUN_BYTES = GROUP_BYTES;

/**
 * blockSums(weights, lists, offsets, users, out): element offsets into the memory's view
 * (lists and offsets: Int32 indices): user b's items are lists[offsets[b] .. offsets[b+1]),
 * its sums go to out + b * stride.
 */
export type BlockSums = (
  weights: number,
  lists: number,
  offsets: number,
  users: number,
  out: number,
) => void;

export function jsRowSums(
  view: Float32Array | Float64Array,
  ints: Int32Array,
  stride: number,
  rowStride: number,
  precision: Precision,
): BlockSums {
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  return (weights, lists, offsets, users, out) => {
    for (let b = 0; b < users; b++) {
      const dest = out + b * stride;
      view.fill(0, dest, dest + stride);
      for (let p = ints[offsets + b]; p < ints[offsets + b + 1]; p++) {
        const row = weights + ints[lists + p] * rowStride;
        for (let j = 0; j < rowStride; j++) {
          view[dest + j] = round(view[dest + j] + view[row + j]);
        }
      }
    }
  };
}

export function wasmRowSums(
  memory: WebAssembly.Memory,
  stride: number,
  rowStride: number,
  precision: Precision,
  shared: boolean,
): BlockSums | null {
  const module = compiled(precision, shared);
  if (module === null) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernel = instance.exports.block_sums as (...args: number[]) => void;
  const size = precision === "float32" ? 4 : 8;
  return (weights, lists, offsets, users, out) =>
    kernel(
      weights * size,
      stride * size,
      rowStride * size,
      lists * 4,
      offsets * 4,
      users,
      out * size,
    );
}

const modules = new Map<string, WebAssembly.Module | null>();

function compiled(precision: Precision, shared: boolean): WebAssembly.Module | null {
  const key = `${precision}:${shared}`;
  if (!modules.has(key)) {
    const bytes = rowSumsBytes(precision, shared);
    modules.set(key, WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return modules.get(key)!;
}

/**
 * block_sums(weights, strideBytes, rowStrideBytes, lists, offsets, users, out), byte
 * addresses:
 *   for each chunk [c, c + len) of the output row bytes; for each user b < users:
 *     out_b[c..] = 0; for p in offsets[b] .. offsets[b+1]-1:
 *       out_b[c + o] += weights[lists[p] * rowStride + c + o] for o < len, 64 bytes at a time
 */
function rowSumsBytes(precision: Precision, shared: boolean): Uint8Array<ArrayBuffer> {
  const L = precision === "float32" ? F32X4 : F64X2;
  const [W, STRIDE, ROW_STRIDE, LISTS, OFFSETS, USERS, OUT] = [0, 1, 2, 3, 4, 5, 6];
  const [C, LEN, B, P, END, ROW, O, DEST, START] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(op.i32(0), op.set(C), op.block, op.loop);
  emit(op.get(C), op.get(STRIDE), op.geU, op.brIf(1));
  // LEN = min(CHUNK, stride - c)
  emit(op.get(STRIDE), op.get(C), op.sub, op.set(LEN));
  emit(op.get(LEN), op.i32(CHUNK_BYTES), op.geU, op.if, op.i32(CHUNK_BYTES), op.set(LEN), op.end);
  emit(op.i32(0), op.set(B), op.block, op.loop);
  emit(op.get(B), op.get(USERS), op.geU, op.brIf(1));
  // START = out + b * stride + c
  emit(op.get(OUT), op.get(B), op.get(STRIDE), op.mul, op.add, op.get(C), op.add, op.set(START));
  emit(op.i32(0), op.set(O), op.block, op.loop);
  emit(op.get(O), op.get(LEN), op.geU, op.brIf(1));
  emit(op.get(START), op.get(O), op.add, op.set(DEST));
  for (let v = 0; v < 4; v++) emit(op.get(DEST), op.zeroV128, op.storeV128(16 * v));
  emit(op.get(O), op.i32(GROUP_BYTES), op.add, op.set(O), op.br(0), op.end, op.end);
  // P .. END: the user's items
  emit(op.get(OFFSETS), op.get(B), op.i32(4), op.mul, op.add, op.tee(P), op.loadI32(4));
  emit(op.set(END), op.get(P), op.loadI32(0), op.set(P));
  emit(op.block, op.loop);
  emit(op.get(P), op.get(END), op.geU, op.brIf(1));
  emit(op.get(W), op.get(LISTS), op.get(P), op.i32(4), op.mul, op.add, op.loadI32(0));
  emit(op.get(ROW_STRIDE), op.mul, op.add, op.get(C), op.add, op.set(ROW));
  emit(op.get(START), op.set(DEST));
  emit(op.i32(0), op.set(O), op.block, op.loop);
  emit(op.get(O), op.get(LEN), op.geU, op.brIf(1));
  for (let v = 0; v < 4; v++) {
    emit(op.get(DEST), op.get(DEST), op.loadV128(16 * v), op.get(ROW), op.loadV128(16 * v));
    emit(L.add, op.storeV128(16 * v));
  }
  emit(op.get(DEST), op.i32(GROUP_BYTES), op.add, op.set(DEST));
  emit(op.get(ROW), op.i32(GROUP_BYTES), op.add, op.set(ROW));
  emit(op.get(O), op.i32(GROUP_BYTES), op.add, op.set(O), op.br(0), op.end, op.end);
  emit(op.get(P), op.i32(1), op.add, op.set(P), op.br(0), op.end, op.end);
  emit(op.get(B), op.i32(1), op.add, op.set(B), op.br(0), op.end, op.end);
  emit(op.get(C), op.get(LEN), op.add, op.set(C), op.br(0), op.end, op.end);
  return moduleBytes(
    [{ name: "block_sums", params: 7, locals: [[9, I32]], code }],
    { shared, maximumPages: 65536 },
  );
}
