/**
 * The dense SPD inverse: the WebAssembly SIMD kernel against the plain JavaScript one (bit for
 * bit without fused multiply-add), both against A . A^-1 = I on random SPD matrices of sizes
 * around the block size, the worker pool against one thread, and a matrix that is not SPD.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { seededRandom } from "../data/rng/seeded.ts";
import { denseWorkspace } from "../models/linalg/dense_workspace.ts";
import { invertInPlace, NotPositiveDefinite, type Precision } from "../models/linalg/mod.ts";
import { jsPanelKernel, MR, nrOf, wasmPanelKernel } from "../models/linalg/panel_kernel.ts";
import { invertSpd, symmetrize } from "../models/linalg/spd_inverse.ts";
import { localRunner } from "../models/linalg/update_jobs.ts";

/** A random SPD matrix: C C^T / r + shift I with C n x r (r = 16), row-major. */
function randomSpd(n: number, seed: number, shift: number): Float64Array {
  const random = seededRandom(seed);
  const r = 16;
  const c = Float64Array.from({ length: n * r }, () => random() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += c[i * r + k] * c[j * r + k];
      a[i * n + j] = a[j * n + i] = s / r + (i === j ? shift : 0);
    }
  }
  return a;
}

function load(a: Float64Array, n: number, precision: Precision, shared = false) {
  const ws = denseWorkspace(n, precision, shared);
  const { ld } = ws.layout;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) ws.view[i * ld + j] = a[i * n + j];
  return ws;
}

function leading(ws: ReturnType<typeof load>): Float64Array {
  const { n, ld } = ws.layout;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = ws.view[i * ld + j];
  return out;
}

/** max |A P - I| over every 7th row (and the last) */
function residual(a: Float64Array, p: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i = i === n - 1 ? n : Math.min(n - 1, i + 7)) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * p[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

Deno.test("the panel kernel: wasm without FMA equals the JavaScript kernel bit for bit", () => {
  for (const precision of ["float32", "float64"] as const) {
    const nr = nrOf(precision);
    const [rows, cols, kc, ldc] = [3 * MR, 5 * nr, 7, 5 * nr + 3];
    const make = () => {
      const ws = denseWorkspace(64, precision, false);
      const random = seededRandom(`kernel ${precision}`);
      for (let i = 0; i < 4096 + 2 * 64 * 144; i++) ws.view[i] = random() - 0.5;
      return ws;
    };
    const [a, b] = [make(), make()];
    const wasm = wasmPanelKernel(a.memory, precision, {
      shared: false,
      maximumPages: 65536,
      fma: false,
    });
    assert.ok(wasm, "WebAssembly SIMD runs here");
    const js = jsPanelKernel(b.view, precision);
    for (const negate of [false, true]) {
      wasm.update(0, ldc, 4096, 4096 + 2000, rows / MR, cols / nr, kc, negate);
      js.update(0, ldc, 4096, 4096 + 2000, rows / MR, cols / nr, kc, negate);
    }
    assert.deepEqual(a.view.subarray(0, 4096), b.view.subarray(0, 4096));
  }
});

Deno.test("property: the inverse of a random SPD matrix, wasm and JavaScript, A . P = I", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 300 }),
      fc.integer({ min: 0, max: 1e6 }),
      fc.constantFrom<Precision>("float32", "float64"),
      async (n, seed, precision) => {
        const a = randomSpd(n, seed, 0.5);
        const wasm = load(a, n, precision);
        const js = load(a, n, precision);
        const ran = await invertInPlace(wasm, { kernel: "wasm" });
        assert.match(ran.kernel, /^wasm-simd/);
        assert.equal((await invertInPlace(js, { kernel: "js" })).kernel, "js");
        const [p, q] = [leading(wasm), leading(js)];
        const tolerance = precision === "float64" ? 1e-10 : 2e-4;
        assert.ok(residual(a, p, n) < tolerance, `wasm ${precision} n=${n}: ${residual(a, p, n)}`);
        assert.ok(residual(a, q, n) < tolerance, `js ${precision} n=${n}: ${residual(a, q, n)}`);
        for (let i = 0; i < n * n; i++) {
          assert.ok(Math.abs(p[i] - q[i]) <= tolerance, `wasm and js differ at ${i}`);
          assert.equal(p[i], p[(i % n) * n + Math.floor(i / n)], "symmetric");
        }
      },
    ),
    { numRuns: 8 },
  );
});

Deno.test("without FMA the wasm inverse equals the JavaScript inverse bit for bit", async () => {
  for (const precision of ["float32", "float64"] as const) {
    const n = 200;
    const a = randomSpd(n, 3, 1);
    const wasm = load(a, n, precision);
    const js = load(a, n, precision);
    const kernel = wasmPanelKernel(wasm.memory, precision, {
      shared: false,
      maximumPages: 65536,
      fma: false,
    })!;
    await invertSpd(wasm, localRunner(kernel));
    await invertSpd(js, localRunner(jsPanelKernel(js.view, precision)));
    symmetrize(wasm);
    symmetrize(js);
    assert.deepEqual(leading(wasm), leading(js));
  }
});

Deno.test("two worker threads give the same inverse as one thread, bit for bit", async () => {
  const n = 400;
  const a = randomSpd(n, 11, 1);
  const one = load(a, n, "float64");
  const two = load(a, n, "float64", true);
  await invertInPlace(one, { threads: 1 });
  const ran = await invertInPlace(two, { threads: 2 });
  assert.equal(ran.threads, 2);
  assert.deepEqual(leading(two), leading(one));
  assert.ok(residual(a, leading(two), n) < 1e-10);
});

Deno.test("a matrix that is not positive definite is refused, naming the row", async () => {
  const n = 5;
  const a = randomSpd(n, 1, 0);
  a[3 * n + 3] = -1;
  await assert.rejects(() => invertInPlace(load(a, n, "float64")), NotPositiveDefinite);
  await assert.rejects(() => invertInPlace(load(a, n, "float64")), /row 3/);
});
