/**
 * The scoring kernel of the item-item models: out = sum of the weight rows of a user's
 * items, for every column. The WebAssembly SIMD version walks the columns in chunks of 256
 * bytes (64 float32 or 32 float64), keeping a chunk's 16 v128 sums in registers while it
 * adds each listed row, so each weight is loaded once and each sum stored once; rows are
 * added in list order, as the plain JavaScript version (the fallback) does, so both give the
 * same sums bit for bit. Rows are `stride` elements apart, a multiple of the chunk.
 */
import { F32X4, F64X2, I32, moduleBytes, op, V128 } from "../linalg/wasm_encoder.ts";
import type { Precision } from "../linalg/mod.ts";

export const CHUNK_BYTES = 256;
/** the padded row length (elements) of an m-column weight matrix */
export const paddedStride = (m: number, precision: Precision) => {
  const perChunk = CHUNK_BYTES / (precision === "float32" ? 4 : 8);
  return Math.max(perChunk, Math.ceil(m / perChunk) * perChunk);
};

/** rowSums(weights, list, count, out): element offsets into the memory's view */
export type RowSums = (weights: number, list: number, count: number, out: number) => void;

export function jsRowSums(
  view: Float32Array | Float64Array,
  ints: Int32Array,
  stride: number,
  precision: Precision,
): RowSums {
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  return (weights, list, count, out) => {
    view.fill(0, out, out + stride);
    for (let p = 0; p < count; p++) {
      const row = weights + ints[list + p] * stride;
      for (let j = 0; j < stride; j++) view[out + j] = round(view[out + j] + view[row + j]);
    }
  };
}

export function wasmRowSums(
  memory: WebAssembly.Memory,
  stride: number,
  precision: Precision,
  shared: boolean,
): RowSums | null {
  const bytes = rowSumsBytes(precision, shared);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const kernel = instance.exports.row_sums as (...args: number[]) => void;
  const size = precision === "float32" ? 4 : 8;
  const chunks = (stride * size) / CHUNK_BYTES;
  return (weights, list, count, out) =>
    kernel(weights * size, stride * size, list * 4, count, out * size, chunks);
}

/** row_sums(weights, strideBytes, list, count, out, chunks), byte addresses */
function rowSumsBytes(precision: Precision, shared: boolean): Uint8Array<ArrayBuffer> {
  const L = precision === "float32" ? F32X4 : F64X2;
  const [W, STRIDE, LIST, COUNT, OUT, CHUNKS] = [0, 1, 2, 3, 4, 5];
  const [C, P, BASE, AT] = [6, 7, 8, 9];
  const ACC = 10; // 16 v128
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(op.i32(0), op.set(C), op.block, op.loop);
  emit(op.get(C), op.get(CHUNKS), op.geU, op.brIf(1));
  for (let v = 0; v < 16; v++) emit(op.zeroV128, op.set(ACC + v));
  emit(op.get(W), op.get(C), op.i32(CHUNK_BYTES), op.mul, op.add, op.set(BASE));
  emit(op.i32(0), op.set(P), op.block, op.loop);
  emit(op.get(P), op.get(COUNT), op.geU, op.brIf(1));
  // AT = BASE + list[p] * stride
  emit(op.get(BASE), op.get(LIST), op.get(P), op.i32(4), op.mul, op.add, op.loadI32(0));
  emit(op.get(STRIDE), op.mul, op.add, op.set(AT));
  for (let v = 0; v < 16; v++) {
    emit(op.get(ACC + v), op.get(AT), op.loadV128(16 * v), L.add, op.set(ACC + v));
  }
  emit(op.get(P), op.i32(1), op.add, op.set(P), op.br(0), op.end, op.end);
  emit(op.get(OUT), op.get(C), op.i32(CHUNK_BYTES), op.mul, op.add, op.set(AT));
  for (let v = 0; v < 16; v++) emit(op.get(AT), op.get(ACC + v), op.storeV128(16 * v));
  emit(op.get(C), op.i32(1), op.add, op.set(C), op.br(0), op.end, op.end);
  return moduleBytes(
    [{ name: "row_sums", params: 6, locals: [[4, I32], [16, V128]], code }],
    { shared, maximumPages: 65536 },
  );
}
