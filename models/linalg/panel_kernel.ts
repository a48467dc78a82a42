/**
 * The one kernel the dense SPD inverse spends its time in: a rank-kc update of a block of a
 * row-major matrix from two packed panels,
 *
 *   C[i, j] += A[i, k] . B[j, k]   (or -=)   for i < rowStrips * MR, j < colStrips * NR,
 *
 * where A is packed in strips of MR rows (strip s: kc steps of MR values, k-major) and B in
 * strips of NR rows (NR = two v128 of lanes). The WebAssembly SIMD version keeps an MR x NR
 * tile of C in 8 v128 registers and walks k, splatting one A value per row against the two B
 * vectors (GotoBLAS's micro-kernel, in 128-bit lanes). With relaxed SIMD it uses
 * relaxed_madd (a fused multiply-add on CPUs that have one), else multiply then add. The
 * plain JavaScript version does the same sums in the same k order, and is the fallback.
 * Addresses are element indices into one memory shared by the matrix and the panels.
 */
import {
  F32X4,
  F64X2,
  type Lanes,
  moduleBytes,
  op,
  V128,
  type WasmFunction,
} from "./wasm_encoder.ts";

export type Precision = "float32" | "float64";

/** Rows of C per micro-tile. */
export const MR = 6;
/** Columns of C per micro-tile: two v128 of lanes. */
export const nrOf = (precision: Precision) => (precision === "float32" ? 8 : 4);

export type Elements = Float32Array | Float64Array;

export interface PanelKernel {
  /** "wasm-simd", "wasm-simd-fma" or "js" */
  readonly kind: string;
  update(
    c: number,
    ldc: number,
    a: number,
    b: number,
    rowStrips: number,
    colStrips: number,
    kc: number,
    negate: boolean,
  ): void;
}

/** The plain JavaScript kernel over `view` (exported for tests and as the fallback). */
export function jsPanelKernel(view: Elements, precision: Precision): PanelKernel {
  const nr = nrOf(precision);
  const tile = precision === "float32"
    ? tileProducts32(view as Float32Array)
    : tileProducts64(view as Float64Array);
  const { acc } = tile;
  return {
    kind: "js",
    update(c, ldc, a, b, rowStrips, colStrips, kc, negate) {
      for (let t = 0; t < colStrips; t++) {
        for (let s = 0; s < rowStrips; s++) {
          tile.sum(a + s * kc * MR, b + t * kc * nr, kc);
          const base = c + s * MR * ldc + t * nr;
          for (let r = 0; r < MR; r++) {
            for (let q = 0; q < nr; q++) {
              const at = base + r * ldc + q;
              view[at] = negate ? view[at] - acc[r * nr + q] : view[at] + acc[r * nr + q];
            }
          }
        }
      }
    },
  };
}

/**
 * One MR x nr tile of A . B^T: sum(ap, bp, kc) sets acc[r * nr + q] to the sum over k < kc of
 * view[ap + k * MR + r] * view[bp + k * nr + q], in k order. Nearly all the time goes here, so
 * there is one per precision: a shared loop would see both array types and Math.fround beside
 * the identity, and V8 would inline neither (float64 ran 10x slower).
 */
interface TileProducts {
  acc: Elements;
  sum(ap: number, bp: number, kc: number): void;
}

function tileProducts32(view: Float32Array): TileProducts {
  const nr = nrOf("float32");
  const acc = new Float32Array(MR * nr);
  const sum = (ap: number, bp: number, kc: number) => {
    acc.fill(0);
    for (let k = 0; k < kc; k++, ap += MR, bp += nr) {
      for (let r = 0; r < MR; r++) {
        const x = view[ap + r];
        // float32 product, then float32 sum: the wasm kernel without FMA, bit for bit
        for (let q = 0; q < nr; q++) acc[r * nr + q] += Math.fround(x * view[bp + q]);
      }
    }
  };
  return { acc, sum };
}

function tileProducts64(view: Float64Array): TileProducts {
  const nr = nrOf("float64");
  const acc = new Float64Array(MR * nr);
  const sum = (ap: number, bp: number, kc: number) => {
    acc.fill(0);
    for (let k = 0; k < kc; k++, ap += MR, bp += nr) {
      for (let r = 0; r < MR; r++) {
        const x = view[ap + r];
        for (let q = 0; q < nr; q++) acc[r * nr + q] += x * view[bp + q];
      }
    }
  };
  return { acc, sum };
}

/**
 * The WebAssembly kernel instantiated over `memory`, or null where WebAssembly SIMD is
 * missing. `fma: false` forbids relaxed_madd (for tests comparing bit for bit).
 */
export function wasmPanelKernel(
  memory: WebAssembly.Memory,
  precision: Precision,
  options: { shared: boolean; maximumPages: number; fma?: boolean },
): PanelKernel | null {
  const module = kernelModule(precision, options.shared, options.maximumPages, options.fma ?? true);
  if (module === null) return null;
  const { exports } = new WebAssembly.Instance(module.module, { env: { memory } });
  const add = exports.update_add as (...args: number[]) => void;
  const sub = exports.update_sub as (...args: number[]) => void;
  const bytes = precision === "float32" ? 4 : 8;
  return {
    kind: module.fma ? "wasm-simd-fma" : "wasm-simd",
    update(c, ldc, a, b, rowStrips, colStrips, kc, negate) {
      if (rowStrips <= 0 || colStrips <= 0 || kc <= 0) return;
      // byte addresses; above 2 GiB they wrap to negative i32 and wasm reads them unsigned
      (negate ? sub : add)(c * bytes, ldc * bytes, a * bytes, b * bytes, rowStrips, colStrips, kc);
    },
  };
}

const modules = new Map<string, { module: WebAssembly.Module; fma: boolean } | null>();

/** The compiled kernel module (cached), with relaxed_madd when the engine validates it. */
export function kernelModule(
  precision: Precision,
  shared: boolean,
  maximumPages: number,
  fma: boolean,
): { module: WebAssembly.Module; fma: boolean } | null {
  const key = `${precision}:${shared}:${maximumPages}:${fma}`;
  if (!modules.has(key)) {
    let found: { module: WebAssembly.Module; fma: boolean } | null = null;
    for (const useFma of fma ? [true, false] : [false]) {
      const bytes = kernelBytes(precision, shared, maximumPages, useFma);
      if (WebAssembly.validate(bytes)) {
        found = { module: new WebAssembly.Module(bytes), fma: useFma };
        break;
      }
    }
    modules.set(key, found);
  }
  return modules.get(key)!;
}

/** The module bytes: update_add and update_sub (exported for the worker, which recompiles). */
export function kernelBytes(
  precision: Precision,
  shared: boolean,
  maximumPages: number,
  fma: boolean,
): Uint8Array<ArrayBuffer> {
  const lanes = precision === "float32" ? F32X4 : F64X2;
  return moduleBytes(
    [
      updateFunction("update_add", lanes, false, fma),
      updateFunction("update_sub", lanes, true, fma),
    ],
    { shared, maximumPages },
  );
}

/** update(c, ldc, a, b, rowStrips, colStrips, kc), byte addresses and strides. */
function updateFunction(name: string, L: Lanes, negate: boolean, fma: boolean): WasmFunction {
  const [C, LDC, A, B, ROW_STRIPS, COL_STRIPS, KC] = [0, 1, 2, 3, 4, 5, 6];
  const [T, S, K, AP, BP, ROW, B_BASE, C_COL, A_STRIP, B_STRIP] = [
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
  ];
  const ACC = 17; // MR * 2 accumulators: row r, half h at ACC + 2r + h
  const [B0, B1, X] = [ACC + 2 * MR, ACC + 2 * MR + 1, ACC + 2 * MR + 2];
  const nr = 2 * L.lanes;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((part) => code.push(...part));

  emit(op.get(KC), op.i32(MR * L.bytes), op.mul, op.set(A_STRIP));
  emit(op.get(KC), op.i32(nr * L.bytes), op.mul, op.set(B_STRIP));
  emit(op.i32(0), op.set(T), op.block, op.loop);
  emit(op.get(T), op.get(COL_STRIPS), op.geU, op.brIf(1));
  emit(op.get(B), op.get(T), op.get(B_STRIP), op.mul, op.add, op.set(B_BASE));
  emit(op.get(C), op.get(T), op.i32(nr * L.bytes), op.mul, op.add, op.set(C_COL));
  emit(op.i32(0), op.set(S), op.block, op.loop);
  emit(op.get(S), op.get(ROW_STRIPS), op.geU, op.brIf(1));
  for (let v = 0; v < 2 * MR; v++) emit(op.zeroV128, op.set(ACC + v));
  emit(op.get(A), op.get(S), op.get(A_STRIP), op.mul, op.add, op.set(AP));
  emit(op.get(B_BASE), op.set(BP), op.get(KC), op.set(K), op.loop);
  emit(op.get(BP), op.loadV128(0), op.set(B0), op.get(BP), op.loadV128(16), op.set(B1));
  for (let r = 0; r < MR; r++) {
    emit(op.get(AP), L.splat(r * L.bytes), op.set(X));
    for (let h = 0; h < 2; h++) {
      const acc = ACC + 2 * r + h;
      if (fma) emit(op.get(X), op.get(h ? B1 : B0), op.get(acc), L.madd, op.set(acc));
      else emit(op.get(acc), op.get(X), op.get(h ? B1 : B0), L.mul, L.add, op.set(acc));
    }
  }
  emit(op.get(AP), op.i32(MR * L.bytes), op.add, op.set(AP));
  emit(op.get(BP), op.i32(nr * L.bytes), op.add, op.set(BP));
  emit(op.get(K), op.i32(1), op.sub, op.tee(K), op.brIf(0), op.end);
  // ROW = C_COL + s * MR * ldc: the tile's first row
  emit(op.get(C_COL), op.get(S), op.get(LDC), op.mul, op.i32(MR), op.mul, op.add, op.set(ROW));
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      emit(op.get(ROW), op.get(ROW), op.loadV128(16 * h), op.get(ACC + 2 * r + h));
      emit(negate ? L.sub : L.add, op.storeV128(16 * h));
    }
    if (r < MR - 1) emit(op.get(ROW), op.get(LDC), op.add, op.set(ROW));
  }
  emit(op.get(S), op.i32(1), op.add, op.set(S), op.br(0), op.end, op.end);
  emit(op.get(T), op.i32(1), op.add, op.set(T), op.br(0), op.end, op.end);
  return { name, params: 7, locals: [[10, 0x7f], [2 * MR + 3, V128]], code };
}
