/**
 * The SIMD batched matrix-product kernel used for attention: it agrees with a plain loop on
 * shapes that need padding (rows not a multiple of 4, columns not of 8) and on the attention
 * shapes, is deterministic, and its committed bytes are what its .wat source assembles to.
 */
import assert from "node:assert/strict";
import { batchedMatMul } from "../models/bert/wasm/batched_matmul.ts";
import { BATCHED_MATMUL_WASM_BASE64 } from "../models/bert/wasm/batched_matmul_wasm.ts";
import { assembleKernel, KERNELS } from "../models/bert/wasm/kernel_sources.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";

function plainProduct(
  a: Float32Array,
  b: Float32Array,
  n: number,
  m: number,
  k: number,
  p: number,
) {
  const c = new Float64Array(n * m * p);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) sum += a[(t * m + i) * k + q] * b[(t * k + q) * p + j];
        c[(t * m + i) * p + j] = sum;
      }
    }
  }
  return c;
}

Deno.test("the SIMD kernel computes batched products, padded shapes included", () => {
  const random = new SeededRandom(5, "kernel");
  for (const [n, m, k, p] of [[3, 5, 7, 9], [2, 4, 3, 8], [1, 13, 1, 3], [12, 37, 8, 37]]) {
    const a = random.normalArray(n * m * k, 1);
    const b = random.normalArray(n * k * p, 1);
    const got = batchedMatMul(a, b, n, m, k, p);
    const want = plainProduct(a, b, n, m, k, p);
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) {
      assert.ok(Math.abs(got[i] - want[i]) < 1e-5, `[${n},${m},${k},${p}] at ${i}`);
    }
    // a larger product in between leaves stale memory behind: the padding must not see it
    batchedMatMul(
      random.normalArray(4 * 64 * 64, 1),
      random.normalArray(4 * 64 * 64, 1),
      4,
      64,
      64,
      64,
    );
    assert.deepEqual(batchedMatMul(a, b, n, m, k, p), got);
  }
});

Deno.test("the committed kernel bytes are the assembled .wat source", async () => {
  const [kernel] = KERNELS;
  const bytes = await assembleKernel(kernel.wat);
  assert.equal(
    btoa(String.fromCharCode(...bytes)),
    BATCHED_MATMUL_WASM_BASE64,
    "run `deno task build:wasm-kernels`",
  );
});
