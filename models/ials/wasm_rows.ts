/**
 * WebAssembly SIMD kernels for the iALS row solves (als_rows.ts), compiled per number of
 * factors f (even, up to 128) so every loop over factors is unrolled into f64x2 operations:
 * - accumulate(fixed, idx, start, end, v, out, c0, c1): out += Σ_e (c0 + c1 (y_e·v)) y_e,
 *   y_e the row idx[e] of `fixed` (the residual and A·p of conjugate gradient);
 * - dots(rows, count, v, out): out[r] = rows[r]·v (YᵀY times a vector);
 * - observed(fixed, idx, start, end, v, c) -> Σ_e c (1 − y_e·v)² − (y_e·v)² (the loss).
 * Every argument is a byte address in one memory holding the factors, the interactions and
 * the scratch vectors (als_memory.ts). A dot product sums lanes in a fixed order, so results
 * do not depend on the thread that computes them; they differ from the scalar loop's in the
 * last bits, which is why the kernel is used for every row or for none.
 */
import { baseOps, F64, I32, name, section, uleb, V128, vector } from "../wasm/bytes.ts";
export interface RowKernels {
  accumulate(
    fixed: number,
    idx: number,
    start: number,
    end: number,
    v: number,
    out: number,
    c0: number,
    c1: number,
  ): void;
  dots(rows: number, count: number, v: number, out: number): void;
  observed(fixed: number, idx: number, start: number, end: number, v: number, c: number): number;
}

/** The kernels over `memory`, null when f is odd or over 128, or without WebAssembly SIMD. */
export function rowKernels(memory: WebAssembly.Memory, f: number): RowKernels | null {
  if (f % 2 !== 0 || f > 128) return null;
  const bytes = moduleBytes(f, memory.buffer instanceof SharedArrayBuffer);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return instance.exports as unknown as RowKernels;
}

// --- a minimal encoder ---

const op = {
  ...baseOps,
  f64: (value: number) => [0x44, ...new Uint8Array(Float64Array.of(value).buffer)],
  loadI32: [0x28, 2, 0],
  addF64: [0xa0],
  subF64: [0xa1],
  mulF64: [0xa2],
  /** v128.load / store at a constant offset, 8-byte alignment hint (rows are f64-aligned) */
  loadV: (offset: number) => [0xfd, 0x00, 3, ...uleb(offset)],
  storeV: (offset: number) => [0xfd, 0x0b, 3, ...uleb(offset)],
  zeroV: [0xfd, 0x0c, ...new Array(16).fill(0)],
  splat: [0xfd, 0x14],
  lane: (k: number) => [0xfd, 0x21, k],
  addV: [0xfd, ...uleb(0xf0)],
  mulV: [0xfd, ...uleb(0xf2)],
};

function moduleBytes(f: number, sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const fn = (params: number[], results: number[]) => [
    0x60,
    ...vector(params.map((t) => [t])),
    ...vector(results.map((t) => [t])),
  ];
  const types = [
    fn([I32, I32, I32, I32, I32, I32, F64, F64], []),
    fn([I32, I32, I32, I32], []),
    fn([I32, I32, I32, I32, I32, F64], [F64]),
  ];
  // memory import: flags 0 (min only) or 3 (shared, min and max), sized by the host
  const limits = sharedMemory ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
  const bodies = [accumulateBody(f), dotsBody(f), observedBody(f)];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, ...limits]])),
    ...section(3, vector([[0x00], [0x01], [0x02]])),
    ...section(
      7,
      vector([
        [...name("accumulate"), 0x00, 0x00],
        [...name("dots"), 0x00, 0x01],
        [...name("observed"), 0x00, 0x02],
      ]),
    ),
    ...section(10, vector(bodies.map((body) => [...uleb(body.length), ...body]))),
  ]);
}

/**
 * Code that leaves y·v (y at address local `y`, v in v128 locals V..V+f/2-1) in f64 local
 * `d`, with two f64x2 sums in locals A and A+1: ((A0 + A1) lane 0) + ((A0 + A1) lane 1).
 */
function dotInto(f: number, y: number, V: number, A: number, d: number): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(op.zeroV, op.set(A), op.zeroV, op.set(A + 1));
  for (let k = 0; k < f / 2; k++) {
    const acc = A + (k % 2);
    emit(op.get(acc), op.get(y), op.loadV(16 * k), op.get(V + k), op.mulV, op.addV, op.set(acc));
  }
  emit(op.get(A), op.get(A + 1), op.addV, op.set(A));
  emit(op.get(A), op.lane(0), op.get(A), op.lane(1), op.addF64, op.set(d));
  return code;
}

/** Loads the vector at address local `v` into v128 locals V.. */
function loadVector(f: number, v: number, V: number): number[] {
  const code: number[] = [];
  for (let k = 0; k < f / 2; k++) code.push(...op.get(v), ...op.loadV(16 * k), ...op.set(V + k));
  return code;
}

/** y = fixed + idx[e] * f * 8, from locals */
function rowAddress(f: number, FIXED: number, IDX: number, E: number, Y: number): number[] {
  return [
    ...op.get(FIXED),
    ...op.get(IDX),
    ...op.get(E),
    ...op.i32(4),
    ...op.mul,
    ...op.add,
    ...op.loadI32,
    ...op.i32(f * 8),
    ...op.mul,
    ...op.add,
    ...op.set(Y),
  ];
}

function accumulateBody(f: number): number[] {
  // params 0-7; i32 locals 8-9 (Y), f64 10 (D); v128 locals 11.. : V (f/2), A (2), W
  const [FIXED, IDX, START, END, VEC, OUT, C0, C1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [E, Y, D] = [8, 9, 10];
  const V = 11;
  const A = V + f / 2;
  const W = A + 2;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(loadVector(f, VEC, V));
  emit(op.get(START), op.set(E), op.block, op.loop);
  emit(op.get(E), op.get(END), op.geU, op.brIf(1));
  emit(rowAddress(f, FIXED, IDX, E, Y));
  emit(dotInto(f, Y, V, A, D));
  emit(op.get(C0), op.get(C1), op.get(D), op.mulF64, op.addF64, op.splat, op.set(W));
  for (let k = 0; k < f / 2; k++) {
    emit(op.get(OUT), op.get(OUT), op.loadV(16 * k));
    emit(op.get(W), op.get(Y), op.loadV(16 * k), op.mulV, op.addV, op.storeV(16 * k));
  }
  emit(op.get(E), op.i32(1), op.add, op.set(E), op.br(0), op.end, op.end, op.end);
  return [...vector([[2, I32], [1, F64], [f / 2 + 3, V128]]), ...code];
}

function dotsBody(f: number): number[] {
  // params 0-3 (rows, count, v, out); i32 locals 4 (R), 5 (Y); f64 6 (D); v128 7..
  const [ROWS, COUNT, VEC, OUT] = [0, 1, 2, 3];
  const [R, Y, D] = [4, 5, 6];
  const V = 7;
  const A = V + f / 2;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(loadVector(f, VEC, V));
  emit(op.i32(0), op.set(R), op.block, op.loop);
  emit(op.get(R), op.get(COUNT), op.geU, op.brIf(1));
  emit(op.get(ROWS), op.get(R), op.i32(f * 8), op.mul, op.add, op.set(Y));
  emit(dotInto(f, Y, V, A, D));
  // out[r] = d
  emit(op.get(OUT), op.get(R), op.i32(8), op.mul, op.add, op.get(D), [0x39, 3, 0]);
  emit(op.get(R), op.i32(1), op.add, op.set(R), op.br(0), op.end, op.end, op.end);
  return [...vector([[2, I32], [1, F64], [f / 2 + 2, V128]]), ...code];
}

function observedBody(f: number): number[] {
  // params 0-5 (fixed, idx, start, end, v, c); i32 6 (E), 7 (Y); f64 8 (D), 9 (SUM), 10 (M)
  const [FIXED, IDX, START, END, VEC, C] = [0, 1, 2, 3, 4, 5];
  const [E, Y, D, SUM, M] = [6, 7, 8, 9, 10];
  const V = 11;
  const A = V + f / 2;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));
  emit(loadVector(f, VEC, V));
  emit(op.f64(0), op.set(SUM));
  emit(op.get(START), op.set(E), op.block, op.loop);
  emit(op.get(E), op.get(END), op.geU, op.brIf(1));
  emit(rowAddress(f, FIXED, IDX, E, Y));
  emit(dotInto(f, Y, V, A, D));
  // sum += c (1 − d)(1 − d) − d d, in that order
  emit(op.f64(1), op.get(D), op.subF64, op.set(M));
  emit(op.get(SUM), op.get(C), op.get(M), op.mulF64, op.get(M), op.mulF64);
  emit(op.get(D), op.get(D), op.mulF64, op.subF64, op.addF64, op.set(SUM));
  emit(op.get(E), op.i32(1), op.add, op.set(E), op.br(0), op.end, op.end);
  emit(op.get(SUM), op.end);
  return [...vector([[2, I32], [3, F64], [f / 2 + 2, V128]]), ...code];
}
