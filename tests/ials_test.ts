/** iALS: the row solves against closed forms and direct dense solves, the loss, the curves. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { alsScratch, type AlsSide, gramian, solveRows } from "../models/ials/als_rows.ts";
import { ialsConfigSchema } from "../models/ials/config.ts";
import { allocate } from "../models/ials/als_memory.ts";
import { solveSpd } from "../models/ials/dense_solve.ts";
import { rowKernels } from "../models/ials/wasm_rows.ts";
import { fitIals } from "../models/ials/fit.ts";
import { ials } from "../models/ials/mod.ts";
import { modelSchemas } from "../models/registry.ts";
import { seededNormalSource } from "../models/svdpp/init.ts";
import { plantedAuc, plantedData } from "./factor_models_helpers.ts";
import { silentContext } from "./svdpp_helpers.ts";

/** A side of rows (users) against fixed item factors, for one row solve. */
function side(
  f: number,
  rows: number[][],
  fixed: Float64Array,
  options: Partial<AlsSide> = {},
): AlsSide {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, r) => (offsets[r + 1] = offsets[r] + row.length));
  const nFixed = fixed.length / f;
  const gram = new Float64Array(f * f);
  gramian(fixed, nFixed, f, gram);
  return {
    factors: f,
    offsets,
    indices: Int32Array.from(rows.flat()),
    solved: new Float64Array(rows.length * f),
    fixed,
    gram,
    alpha: 4,
    reg: 0.5,
    frequencyScaled: false,
    regExponent: 1,
    fixedRows: nFixed,
    solver: 0,
    cgSteps: f,
    loss: null,
    ...options,
  };
}

Deno.test("rank 1: the user step is the closed-form minimiser, with Cholesky and with CG", () => {
  // y = (0.5, -1, 2, 0.25); the user interacted with items 0 and 2; α 4, λ 0.5:
  // x = Σ_{i∈I_u} (1+α) y_i / (Σ_i y_i² + α Σ_{i∈I_u} y_i² + λ)
  const y = Float64Array.of(0.5, -1, 2, 0.25);
  const expected = (5 * 0.5 + 5 * 2) / ((0.25 + 1 + 4 + 0.0625) + 4 * (0.25 + 4) + 0.5);
  for (const solver of [0, 1]) {
    const s = side(1, [[0, 2]], y, { solver, cgSteps: 1 });
    solveRows(s, alsScratch(1), 0, 1);
    assert.ok(Math.abs(s.solved[0] - expected) < 1e-12, `solver ${solver}: ${s.solved[0]}`);
  }
});

Deno.test("property: a row solve equals a direct dense solve of Σ_j c_j y_j y_jᵀ + λI", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 2, max: 9 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.double({ min: 0, max: 20, noNaN: true }),
      fc.double({ min: 0.01, max: 5, noNaN: true }),
      (f, nItems, seed, alpha, reg) => {
        const fixed = seededNormalSource(seed)(0, 1, nItems * f);
        const row = [...new Set(Array.from(fixed.slice(0, nItems), (v, i) => (v > 0 ? i : -1)))]
          .filter((i) => i >= 0);
        // the brute-force system over every item, confidence 1 + α on the row's items
        const a = new Float64Array(f * f);
        const b = new Float64Array(f);
        for (let i = 0; i < nItems; i++) {
          const c = row.includes(i) ? 1 + alpha : 1;
          for (let p = 0; p < f; p++) {
            for (let q = 0; q < f; q++) a[p * f + q] += c * fixed[i * f + p] * fixed[i * f + q];
            if (row.includes(i)) b[p] += c * fixed[i * f + p];
          }
        }
        for (let p = 0; p < f; p++) a[p * f + p] += reg;
        const direct = solveSpd(a, f, b);
        const scale = Math.max(1, ...direct.map(Math.abs));
        for (const solver of [0, 1]) {
          // CG from 0 with f steps is exact in exact arithmetic; run a few more for rounding
          const s = side(f, [row], fixed, { alpha, reg, solver, cgSteps: 4 * f });
          solveRows(s, alsScratch(f), 0, 1);
          for (let p = 0; p < f; p++) {
            assert.ok(
              Math.abs(s.solved[p] - direct[p]) <= 1e-7 * scale,
              `solver ${solver}, f ${f}: ${s.solved[p]} vs ${direct[p]}`,
            );
          }
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("frequency scaling: λ_u = λ (|I| + α |I_u|)^ν, as a direct solve with that λ", () => {
  const f = 2;
  const fixed = Float64Array.of(1, 0.5, -0.5, 2, 0.3, 0.3);
  const plain = side(f, [[0, 2]], fixed, { reg: 0.1 * Math.pow(3 + 4 * 2, 0.5) });
  const scaled = side(f, [[0, 2]], fixed, { reg: 0.1, frequencyScaled: true, regExponent: 0.5 });
  solveRows(plain, alsScratch(f), 0, 1);
  solveRows(scaled, alsScratch(f), 0, 1);
  assert.deepEqual(scaled.solved, plain.solved);
});

Deno.test("the loss decreases every epoch (Cholesky and CG) and the curves are recorded", async () => {
  const { data } = plantedData({ users: 60, items: 40, own: 0.3, other: 0.05, seed: 3 });
  for (const solver of ["cholesky", "cg"] as const) {
    const config = ialsConfigSchema.parse({ factors: 8, epochs: 6, solver, reg: 0.05 });
    const table = await fitIals(config, data, silentContext(7));
    const loss = table.epoch_train_loss as Float64Array;
    const ndcg = table["epoch_dev_ndcg@10"] as Float64Array;
    assert.equal(loss.length, 6);
    assert.equal(ndcg.length, 6);
    for (let e = 1; e < 6; e++) {
      assert.ok(
        loss[e] < loss[e - 1],
        `${solver}: epoch ${e + 1} loss ${loss[e]} >= ${loss[e - 1]}`,
      );
    }
    for (const v of ndcg) assert.ok(v >= 0 && v <= 1, `${solver}: dev ndcg ${v}`);
  }
});

Deno.test("the recorded loss is Σ c (p − x·y)² + λ‖X‖² + λ‖Y‖², computed by brute force", async () => {
  const { data } = plantedData({ users: 12, items: 9, own: 0.5, other: 0.1, seed: 5 });
  // 3 factors: scalar loops; 4: the SIMD kernels
  for (const f of [3, 4]) {
    const config = ialsConfigSchema.parse({ factors: f, epochs: 2, alpha: 3, reg: 0.2 });
    const table = await fitIals(config, data, silentContext(1));
    const x = table.user_factors as Float64Array;
    const y = table.item_factors as Float64Array;
    const positive = new Set<number>();
    for (const row of data.train) positive.add(data.ratings.user[row] * 9 + data.ratings.item[row]);
    let loss = 0;
    for (let u = 0; u < 12; u++) {
      for (let i = 0; i < 9; i++) {
        let s = 0;
        for (let k = 0; k < f; k++) s += x[u * f + k] * y[i * f + k];
        const p = positive.has(u * 9 + i) ? 1 : 0;
        loss += (1 + 3 * p) * (p - s) ** 2;
      }
    }
    for (const v of x) loss += 0.2 * v * v;
    for (const v of y) loss += 0.2 * v * v;
    const recorded = (table.epoch_train_loss as Float64Array)[1];
    assert.ok(Math.abs(recorded - loss) < 1e-9 * loss, `f ${f}: ${recorded} vs ${loss}`);
  }
});

Deno.test("property: the SIMD row kernels solve and score as the scalar loops do", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }).map((half) => 2 * half),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.integer({ min: 1, max: 4 }),
      (f, nFixed, seed, steps) => {
        const normal = seededNormalSource(seed);
        const rows = [[], [0], Array.from({ length: nFixed }, (_, j) => j).filter((j) => j % 3)];
        const nnz = rows.flat().length;
        const wasm = allocate({
          fixed: ["f64", nFixed * f],
          solved: ["f64", rows.length * f],
          indices: ["i32", nnz],
          gram: ["f64", f * f],
          loss: ["f64", rows.length],
          r: ["f64", f],
          p: ["f64", f],
          ap: ["f64", f],
          tmp: ["f64", f],
        }, false)!;
        const v = wasm.views as Record<string, Float64Array>;
        v.fixed.set(normal(0, 1, nFixed * f));
        const start = normal(0, 0.1, rows.length * f);
        const plain = side(f, rows, v.fixed.slice(), { solver: 1, cgSteps: steps });
        plain.solved.set(start);
        plain.loss = new Float64Array(rows.length);
        const fast: AlsSide = {
          ...side(f, rows, v.fixed, { solver: 1, cgSteps: steps }),
          solved: v.solved,
          gram: v.gram,
          indices: wasm.views.indices as Int32Array,
          loss: v.loss,
        };
        (fast.indices as Int32Array).set(plain.indices);
        fast.gram.set(plain.gram);
        fast.solved.set(start);
        const kernels = rowKernels(wasm.memory, f)!;
        solveRows(plain, alsScratch(f), 0, rows.length);
        solveRows(fast, alsScratch(f, kernels, v as never), 0, rows.length);
        for (let k = 0; k < rows.length * f; k++) {
          assert.ok(
            Math.abs(fast.solved[k] - plain.solved[k]) < 1e-9,
            `${fast.solved[k]} vs ${plain.solved[k]}`,
          );
        }
        for (let r = 0; r < rows.length; r++) {
          const gap = Math.abs(fast.loss![r] - plain.loss[r]);
          assert.ok(gap < 1e-9 * Math.max(1, Math.abs(plain.loss[r])), `loss ${r}`);
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("seeded fits are bit-identical; 1, 2 and 3 threads give the same factors", async () => {
  const { data } = plantedData({ users: 300, items: 80, own: 0.2, other: 0.03, seed: 11 });
  for (const solver of ["cg", "cholesky"] as const) {
    const fit = async (threads: number) =>
      await fitIals(
        ialsConfigSchema.parse({ factors: 6, epochs: 3, solver, threads }),
        data,
        silentContext(42),
      );
    const one = await fit(1);
    assert.deepEqual(await fit(1), one);
    for (const threads of [2, 3]) {
      const many = await fit(threads);
      assert.deepEqual(many.user_factors, one.user_factors, `${solver} threads ${threads}`);
      assert.deepEqual(many.item_factors, one.item_factors, `${solver} threads ${threads}`);
      assert.deepEqual(many.epoch_train_loss, one.epoch_train_loss);
      // the dev lists come from the workers then
      assert.deepEqual(many["epoch_dev_ndcg@10"], one["epoch_dev_ndcg@10"]);
    }
    const other = await fitIals(
      ialsConfigSchema.parse({ factors: 6, epochs: 3, solver }),
      data,
      silentContext(43),
    );
    assert.notDeepEqual(other.user_factors, one.user_factors);
  }
});

Deno.test("iALS separates planted groups; recommendations exclude training items", async () => {
  const planted = plantedData({ users: 80, items: 60, own: 0.3, other: 0.02, seed: 2 });
  const { data } = planted;
  const config = ials.config.parse({ factors: 4, epochs: 5 });
  const params = await ials.fit(config, data, silentContext(1));
  const x = params.user_factors as Float64Array;
  const y = params.item_factors as Float64Array;
  const auc = plantedAuc(planted, (u, i) => {
    let s = 0;
    for (let k = 0; k < 4; k++) s += x[u * 4 + k] * y[i * 4 + k];
    return s;
  });
  assert.ok(auc > 0.9, `AUC ${auc}`);
  const users = Int32Array.from({ length: 80 }, (_, u) => u);
  const seen = new Set<number>();
  for (const row of data.train) seen.add(data.ratings.user[row] * 60 + data.ratings.item[row]);
  const offsets = new Int32Array(81);
  const values: number[] = [];
  for (let u = 0; u < 80; u++) {
    for (let i = 0; i < 60; i++) if (seen.has(u * 60 + i)) values.push(i);
    offsets[u + 1] = values.length;
  }
  const request = {
    users,
    k: 5,
    exclude: { offsets, values: Int32Array.from(values) },
    candidates: null,
  };
  const lists = await ials.recommend!(config, params, data, request, silentContext(1));
  for (let u = 0; u < 80; u++) {
    for (let r = 0; r < 5; r++) assert.ok(!seen.has(u * 60 + lists[u * 5 + r]), `user ${u}`);
  }
});

Deno.test("specs name ials and bpr with the issue's keys; defaults fill the rest", () => {
  const parsed = modelSchemas().parse({ type: "ials", factors: 32, alpha: 5, reg: 0.2, epochs: 4 });
  assert.equal(parsed.type, "ials");
  assert.equal((parsed as Record<string, unknown>).solver, "cg");
  assert.equal((parsed as Record<string, unknown>).init_std, null);
  const b = modelSchemas().parse({ type: "bpr", factors: 16, lr: 0.01, reg: 0.001, epochs: 3 });
  assert.equal((b as Record<string, unknown>).samples_per_epoch, null);
  assert.equal(modelSchemas().safeParse({ type: "ials", solver: "lu" }).success, false);
  assert.equal(modelSchemas().safeParse({ type: "bpr", lr: 0 }).success, false);
});
