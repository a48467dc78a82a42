/**
 * The factor-only path of the dense SPD code: choleskyInPlace leaves L with L L^T = A in the
 * lower triangle, and solveWithFactor solves A x = b, on sizes around the block size (one
 * block, several, padding), WebAssembly and JavaScript kernels alike.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../data/rng/seeded.ts";
import { BLOCK } from "../models/linalg/dense_workspace.ts";
import { choleskyInPlace, openWorkspace, solveWithFactor } from "../models/linalg/mod.ts";

function randomSpd(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const r = 12;
  const c = Float64Array.from({ length: n * r }, () => random() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += c[i * r + k] * c[j * r + k];
      a[i * n + j] = a[j * n + i] = s + (i === j ? 0.5 : 0);
    }
  }
  return a;
}

for (const kernel of ["wasm", "js"] as const) {
  Deno.test(`choleskyInPlace + solveWithFactor solve A x = b (${kernel} kernel)`, async () => {
    for (const n of [5, BLOCK, BLOCK + 7, 2 * BLOCK + 31]) {
      const a = randomSpd(n, n);
      const ws = openWorkspace(n, "float64", false);
      const { ld } = ws.layout;
      // junk above the diagonal must not matter: only the lower triangle is read
      ws.view.fill(123);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) ws.view[i * ld + j] = a[i * n + j];
      await choleskyInPlace(ws, { kernel });
      // L L^T = A on the lower triangle
      let worstFactor = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += ws.view[i * ld + k] * ws.view[j * ld + k];
          worstFactor = Math.max(worstFactor, Math.abs(s - a[i * n + j]));
        }
      }
      assert.ok(worstFactor < 1e-9, `n ${n}: |L L^T - A| ${worstFactor}`);
      const random = seededRandom(`b${n}`);
      const b = Float64Array.from({ length: n }, () => random() - 0.5);
      const x = solveWithFactor(ws, b);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
        worst = Math.max(worst, Math.abs(s - b[i]));
      }
      assert.ok(worst < 1e-9, `n ${n}: |A x - b| ${worst}`);
    }
  });
}
