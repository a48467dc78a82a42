/**
 * Batched matrix products [n, m, k] x [n, k, p] for attention, in a small SIMD WebAssembly
 * kernel (batched_matmul.wat). tfjs-wasm sends every batched product to a scalar loop
 * (~2 GFLOP/s; only unbatched ones reach XNNPACK) and per-slice XNNPACK calls cost more in
 * set-up than they save; the kernel runs these small products several times faster. It has
 * its own memory: inputs are copied in (rows padded to 4, columns to 8) and the result out.
 */
import { BATCHED_MATMUL_WASM_BASE64 } from "./batched_matmul_wasm.ts";

interface Kernel {
  memory: WebAssembly.Memory;
  matmul(n: number, m: number, k: number, p: number, a: number, b: number, c: number): void;
}

let kernel: Kernel | null = null;

function load(): Kernel {
  if (kernel) return kernel;
  const bytes = Uint8Array.from(atob(BATCHED_MATMUL_WASM_BASE64), (ch) => ch.charCodeAt(0));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  kernel = instance.exports as unknown as Kernel;
  return kernel;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/** Copies `rows` rows of `width` floats, `from` floats apart in src, `to` apart in dst. */
function copyRows(
  src: Float32Array,
  dst: Float32Array,
  rows: number,
  width: number,
  from: number,
  to: number,
) {
  if (width === from && width === to) {
    dst.set(src.subarray(0, rows * width));
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * from, r * from + width), r * to);
}

/** C[t] = A[t] · B[t] for A [n, m, k], B [n, k, p] (row-major), as [n, m, p]. */
export function batchedMatMul(
  a: Float32Array,
  b: Float32Array,
  n: number,
  m: number,
  k: number,
  p: number,
): Float32Array {
  const { memory, matmul } = load();
  const mp = roundUp(m, 4), pp = roundUp(p, 8);
  const aFloats = n * mp * k, bFloats = n * k * pp, cFloats = n * mp * pp;
  const bytes = (aFloats + bFloats + cFloats) * 4;
  if (memory.buffer.byteLength < bytes) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  }
  const heap = new Float32Array(memory.buffer);
  const aIn = heap.subarray(0, aFloats);
  const bIn = heap.subarray(aFloats, aFloats + bFloats);
  if (mp !== m) aIn.fill(0);
  if (pp !== p) bIn.fill(0);
  for (let t = 0; t < n; t++) {
    // A's padded rows sit at the end of each matrix: copy matrix by matrix
    aIn.set(a.subarray(t * m * k, (t + 1) * m * k), t * mp * k);
  }
  copyRows(b, bIn, n * k, p, p, pp);
  matmul(n, mp, k, pp, 0, aFloats * 4, (aFloats + bFloats) * 4);
  const cOut = heap.subarray(aFloats + bFloats, aFloats + bFloats + cFloats);
  const out = new Float32Array(n * m * p);
  for (let t = 0; t < n; t++) {
    const from = cOut.subarray(t * mp * pp, t * mp * pp + m * pp);
    copyRows(from, out.subarray(t * m * p, (t + 1) * m * p), m, p, pp, p);
  }
  return out;
}
