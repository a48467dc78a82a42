import assert from "node:assert/strict";
import type { StepContext } from "../models/model.ts";
import type { Table } from "../runners/table.ts";
import { resolveRates } from "../models/svdpp/config.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";
import { buildTrainset } from "../models/svdpp/trainset.ts";
import { denseRatings, silentContext, trainData } from "./svdpp_helpers.ts";

Deno.test("configs take Surprise's defaults and reject unknown or bad fields", () => {
  const pp = svdpp.config.parse({});
  assert.deepEqual(
    [pp.factors, pp.epochs, pp.lr, pp.reg, pp.init_mean, pp.init_std, pp.variant],
    [20, 20, 0.007, 0.02, 0, 0.1, "fast"],
  );
  const plain = svd.config.parse({});
  assert.deepEqual([plain.factors, plain.lr, plain.biased], [100, 0.005, true]);
  assert.equal(svdpp.config.safeParse({ factor: 3 }).success, false);
  assert.equal(svdpp.config.safeParse({ factors: 0 }).success, false);
  assert.equal(svdpp.config.safeParse({ variant: "slow" }).success, false);
  assert.equal(svd.config.safeParse({ lr_yj: 0.1 }).success, false);
  const rates = resolveRates(svdpp.config.parse({ lr: 0.01, reg: 0.1, lr_yj: 0.5, reg_bu: 0 }));
  assert.deepEqual(
    [rates.lrBu, rates.lrYj, rates.regBu, rates.regBi, rates.regYj],
    [0.01, 0.5, 0, 0.1, 0.1],
  );
});

Deno.test("the surprise variant refuses float32 storage", () => {
  const data = trainData(denseRatings([0], [0], [3]), Int32Array.of(0), Int32Array.of(), [1, 5]);
  // Refused by the config (so a spec fails before any work), and by fit for API callers.
  assert.throws(() => svdpp.config.parse({ variant: "surprise", precision: "float32" }), /float64/);
  const config = { ...svdpp.config.parse({ variant: "surprise" }), precision: "float32" as const };
  assert.throws(() => svdpp.fit(config, data, silentContext(1)), /float32/);
});

// users 0,1 and items 0,1 train; user 2 and item 2 appear only in rows 4-5 (dev)
const ratings = denseRatings([1, 0, 1, 0, 2, 0], [1, 1, 0, 0, 0, 2], [4, 2, 5, 3, 1, 5]);
const data = trainData(ratings, Int32Array.of(0, 1, 2, 3), Int32Array.of(4, 5), [1, 5]);

Deno.test("inner ids follow first appearance among the training rows only", () => {
  // dense ids follow the whole table: user 1 is dense 0; training meets dense user 0 first
  const reordered = trainData(ratings, Int32Array.of(1, 0, 2, 3), Int32Array.of(), [1, 5]);
  const ts = buildTrainset(reordered);
  assert.deepEqual([...ts.userInner], [1, 0, -1]);
  assert.deepEqual([...ts.itemInner], [0, 1, -1]);
  assert.deepEqual([...ts.offsets], [0, 2, 4]);
  assert.deepEqual([...ts.ratings], [2, 3, 4, 5]);
  assert.equal(ts.globalMean, 3.5);
  assert.throws(
    () => buildTrainset(trainData(ratings, Int32Array.of(0, 9), Int32Array.of(), [1, 5])),
    /data\.train\[1\] = 9/,
  );
});

Deno.test("fit records per-epoch curves and reports progress; unknowns predict like Surprise", () => {
  const progress: number[] = [];
  const lines: string[] = [];
  const ctx: StepContext = {
    seed: 4,
    rng: "seeded",
    progress: (done, total, unit) => progress.push(done, total, unit === "epoch" ? 1 : 0),
    log: (line) => lines.push(line),
  };
  const config = svdpp.config.parse({ factors: 2, epochs: 3 });
  const params = svdpp.fit(config, data, ctx) as Table;
  assert.deepEqual(progress, [1, 3, 1, 2, 3, 1, 3, 3, 1]);
  assert.equal(lines.length, 3);
  assert.match(lines[2], /epoch 3\/3: train rmse \d\.\d+, dev rmse \d\.\d+/);
  assert.equal(params.epoch_train_rmse.length, 3);
  assert.ok((params.epoch_dev_rmse as Float64Array).every(Number.isFinite));

  const mu = (params.mu as Float64Array)[0];
  const bu = params.bu as Float32Array;
  const bi = params.bi as Float32Array;
  const dense = { unknownUser: 2, unknownItem: 2 };
  const got = svdpp.predict!(
    config,
    params,
    data,
    Int32Array.of(dense.unknownUser, 0, dense.unknownUser, -1),
    Int32Array.of(1, dense.unknownItem, dense.unknownItem, 0),
  );
  // training meets dense user 0 and dense item 0 first (row 0): both are inner 0
  assert.equal(got[0], mu + bi[1]);
  assert.equal(got[1], mu + bu[0]);
  assert.equal(got[2], mu);
  assert.equal(got[3], mu + bi[0]);
});

Deno.test("an unbiased SVD predicts the dot product, or the clipped global mean if it cannot", () => {
  const config = svd.config.parse({ factors: 2, epochs: 2, biased: false });
  const params = svd.fit(config, data, silentContext(2)) as Table;
  const pu = params.pu as Float64Array;
  const qi = params.qi as Float64Array;
  assert.deepEqual([...(params.bu as Float64Array)], [0, 0]);
  const got = svd.predict!(config, params, data, Int32Array.of(2, 0), Int32Array.of(0, 1));
  assert.equal(got[0], 3.5);
  const dot = qi[0] * pu[0] + qi[1] * pu[1];
  assert.equal(got[1], Math.min(5, Math.max(1, dot)));
});

Deno.test("params that do not belong to the data are refused with the column named", () => {
  const config = svdpp.config.parse({ factors: 2, epochs: 1 });
  const params = svdpp.fit(config, data, silentContext(1)) as Table;
  const other = trainData(ratings, Int32Array.of(1, 0, 2, 3), Int32Array.of(), [1, 5]);
  const pairs = [Int32Array.of(0), Int32Array.of(0)] as const;
  assert.throws(() => svdpp.predict!(config, params, other, ...pairs), /user_map/);
  const { yj: _, ...withoutYj } = params;
  assert.throws(() => svdpp.predict!(config, withoutYj, data, ...pairs), /"yj" is missing/);
  const wider = svdpp.config.parse({ factors: 3, epochs: 1 });
  assert.throws(() => svdpp.predict!(wider, params, data, ...pairs), /"pu" has 4 values/);
});

Deno.test("a diverging fit stops with an error naming the epoch", () => {
  const config = svdpp.config.parse({ factors: 2, epochs: 50, lr: 50 });
  assert.throws(() => svdpp.fit(config, data, silentContext(1)), /diverged in epoch \d+/);
});
