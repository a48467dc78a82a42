/**
 * The panel kernel of the dense inverse against the test's own per-element sum, for float32
 * and float64: the JavaScript kernel and the WebAssembly one without FMA bit for bit (float32
 * rounds each product and each sum, as f32x4 lanes do), with FMA within rounding; nothing
 * outside the updated block changes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { seededRandom } from "../data/rng/seeded.ts";
import {
  type Elements,
  jsPanelKernel,
  MR,
  nrOf,
  type PanelKernel,
  type Precision,
  wasmPanelKernel,
} from "../models/linalg/panel_kernel.ts";

/** Where the block of C, the A panel and the B panel sit (element indices, apart). */
const [C, A, B] = [0, 1024, 2048];

interface Call {
  ldc: number;
  rowStrips: number;
  colStrips: number;
  kc: number;
  negate: boolean;
}

/** C[i, j] +=/-= sum over k, in k order, of A[i, k] B[j, k] from the packed panels. */
function reference(view: Elements, precision: Precision, call: Call): Elements {
  const { ldc, rowStrips, colStrips, kc, negate } = call;
  const round = precision === "float32" ? Math.fround : (x: number) => x;
  const nr = nrOf(precision);
  const out = view.slice();
  for (let i = 0; i < rowStrips * MR; i++) {
    for (let j = 0; j < colStrips * nr; j++) {
      const a = A + Math.floor(i / MR) * kc * MR + (i % MR);
      const b = B + Math.floor(j / nr) * kc * nr + (j % nr);
      let sum = 0;
      for (let k = 0; k < kc; k++) sum = round(sum + round(view[a + k * MR] * view[b + k * nr]));
      const at = C + i * ldc + j;
      out[at] = negate ? view[at] - sum : view[at] + sum;
    }
  }
  return out;
}

/** One page of memory filled with values in [-0.5, 0.5), and a kernel over it. */
function kernelOver(precision: Precision, seed: number, kind: "js" | "wasm" | "wasm-fma") {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const view = precision === "float32"
    ? new Float32Array(memory.buffer)
    : new Float64Array(memory.buffer);
  const random = seededRandom(seed);
  for (let i = 0; i < view.length; i++) view[i] = random() - 0.5;
  const kernel: PanelKernel | null = kind === "js"
    ? jsPanelKernel(view, precision)
    : wasmPanelKernel(memory, precision, {
      shared: false,
      maximumPages: 65536,
      fma: kind === "wasm-fma",
    });
  assert.ok(kernel, "WebAssembly SIMD runs here");
  return { view, kernel };
}

const calls = (precision: Precision) =>
  fc.record({
    rowStrips: fc.integer({ min: 1, max: 4 }),
    colStrips: fc.integer({ min: 1, max: 4 }),
    kc: fc.integer({ min: 1, max: 20 }),
    negate: fc.boolean(),
    pad: fc.integer({ min: 0, max: 5 }),
  }).map(({ pad, ...call }) => ({ ...call, ldc: call.colStrips * nrOf(precision) + pad }));

for (const precision of ["float32", "float64"] as const) {
  Deno.test(`property: the ${precision} panel kernels equal a per-element sum`, () => {
    fc.assert(
      fc.property(calls(precision), fc.integer({ min: 0, max: 1e6 }), (call, seed) => {
        for (const kind of ["js", "wasm", "wasm-fma"] as const) {
          const { view, kernel } = kernelOver(precision, seed, kind);
          const expected = reference(view, precision, call);
          const { ldc, rowStrips, colStrips, kc, negate } = call;
          kernel.update(C, ldc, A, B, rowStrips, colStrips, kc, negate);
          if (kind !== "wasm-fma") {
            assert.deepEqual(view, expected, `${kind} ${precision}`);
            continue;
          }
          // fused or not, as the CPU does it: each sum within a few roundings of the reference
          const tolerance = precision === "float32" ? 1e-5 : 1e-13;
          for (let i = 0; i < view.length; i++) {
            assert.ok(Math.abs(view[i] - expected[i]) <= tolerance, `${kind} ${precision} at ${i}`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
}
