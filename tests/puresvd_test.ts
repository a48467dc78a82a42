/**
 * PureSVD's randomized SVD against an exact eigendecomposition of a small X^T X (cyclic
 * Jacobi written here): the same subspace, the same scores X V V^T to 1e-6, and exclude-seen
 * top-k against brute force; the fit is deterministic for a seed.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../data/rng/seeded.ts";
import { puresvd, puresvdConfigSchema } from "../models/puresvd/mod.ts";
import type { RecommendRequest } from "../models/model.ts";
import {
  bruteTopK,
  denseX,
  gram,
  quietContext,
  randomRows,
  seenItems,
  trainData,
} from "./linear_helpers.ts";

/** Eigenvectors of symmetric A by cyclic Jacobi; columns sorted by descending eigenvalue. */
function jacobi(a: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p * n + q]) < 1e-300) continue;
        const phi = 0.5 * Math.atan2(2 * m[p * n + q], m[q * n + q] - m[p * n + p]);
        const [c, s] = [Math.cos(phi), Math.sin(phi)];
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[k * n + p], m[k * n + q]];
          m[k * n + p] = c * x - s * y;
          m[k * n + q] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [m[p * n + k], m[q * n + k]];
          m[p * n + k] = c * x - s * y;
          m[q * n + k] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const [x, y] = [v[k * n + p], v[k * n + q]];
          v[k * n + p] = c * x - s * y;
          v[k * n + q] = s * x + c * y;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((x, y) => m[y * n + y] - m[x * n + x]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, c) => {
    for (let k = 0; k < n; k++) vectors[k * n + c] = v[k * n + from];
  });
  return { values: order.map((i) => m[i * n + i]), vectors };
}

/** The projector V V^T of the first f columns of `vectors` (n x cols). */
function projector(vectors: Float64Array, n: number, cols: number, f: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < f; c++) s += vectors[i * cols + c] * vectors[j * cols + c];
      out[i * n + j] = s;
    }
  }
  return out;
}

const cases = [
  { nUsers: 40, nItems: 25, factors: 4, seed: "a" },
  { nUsers: 60, nItems: 35, factors: 6, seed: "b" },
  { nUsers: 30, nItems: 12, factors: 12, seed: "c" },
  { nUsers: 130, nItems: 21, factors: 3, seed: "d" }, // users in three scoring blocks
];

for (const { nUsers, nItems, factors, seed } of cases) {
  Deno.test(`PureSVD ${nUsers}x${nItems}, ${factors} factors: subspace and scores of the exact solution`, async () => {
    const rows = randomRows(nUsers, nItems, 0.3, seededRandom(seed));
    const data = trainData(rows, nUsers, nItems);
    // enough iterations for (lambda_{l+1} / lambda_f)^iterations to vanish at this size
    const config = puresvdConfigSchema.parse({ factors, iterations: 40 });
    const params = await puresvd.fit(config, data, quietContext);
    const v = params.vectors as Float64Array;
    const x = denseX(rows, nUsers, nItems);
    const exact = jacobi(gram(x, nUsers, nItems, 0), nItems);
    assert.ok(exact.values[factors - 1] - (exact.values[factors] ?? 0) > 1e-3, "a spectral gap");
    const ours = projector(v, nItems, factors, factors);
    const reference = projector(exact.vectors, nItems, nItems, factors);
    for (let e = 0; e < ours.length; e++) {
      assert.ok(Math.abs(ours[e] - reference[e]) < 1e-8, `V V^T[${e}]`);
    }
    // singular values: square roots of the top eigenvalues
    const sigma = params.singular_values as Float64Array;
    for (let c = 0; c < factors; c++) assert.ok(Math.abs(sigma[c] ** 2 - exact.values[c]) < 1e-8);

    const seen = seenItems(rows, nUsers);
    const k = 5;
    const req: RecommendRequest = {
      users: Int32Array.from({ length: nUsers }, (_, u) => u),
      k,
      exclude: { offsets: seen.offsets, values: seen.values },
      candidates: null,
    };
    const lists = await puresvd.recommend!(config, params, data, req, quietContext);
    for (let u = 0; u < nUsers; u++) {
      // reference scores x_u V V^T from the exact projector
      const scores = new Float64Array(nItems);
      for (let i = 0; i < nItems; i++) {
        if (!x[u * nItems + i]) continue;
        for (let j = 0; j < nItems; j++) scores[j] += reference[i * nItems + j];
      }
      const got = [...lists.subarray(u * k, (u + 1) * k)].filter((i) => i >= 0);
      const expected = bruteTopK(scores, k, (i) => !seen.sets[u].has(i));
      assert.equal(got.length, expected.length);
      got.forEach((item, r) => {
        assert.ok(!seen.sets[u].has(item));
        assert.ok(Math.abs(scores[item] - scores[expected[r]]) < 1e-6, `user ${u} rank ${r}`);
      });
      // the model's own scores equal the reference to 1e-6
      const own = new Float64Array(nItems);
      for (let i = 0; i < nItems; i++) {
        if (!x[u * nItems + i]) continue;
        for (let j = 0; j < nItems; j++) own[j] += ours[i * nItems + j];
      }
      for (let j = 0; j < nItems; j++) assert.ok(Math.abs(own[j] - scores[j]) < 1e-6);
    }
  });
}

Deno.test("PureSVD is deterministic for a seed", async () => {
  const rows = randomRows(30, 20, 0.3, seededRandom("det"));
  const data = trainData(rows, 30, 20);
  const config = puresvdConfigSchema.parse({ factors: 3, iterations: 2 });
  const a = await puresvd.fit(config, data, quietContext);
  const b = await puresvd.fit(config, data, quietContext);
  assert.deepEqual(a.vectors, b.vectors);
});
