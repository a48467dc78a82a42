import assert from "node:assert/strict";
import type { Table } from "../runners/table.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";
import { paramsFromTable } from "../models/svdpp/params.ts";
import { predictPairs } from "../models/svdpp/predict.ts";
import { buildTrainset } from "../models/svdpp/trainset.ts";
import {
  assertClose,
  denseOf,
  parseRatingsCsv,
  range,
  silentContext,
  trainData,
} from "./svdpp_helpers.ts";

// Reference: Surprise 1.1.4 SVDpp / SVD, 4 factors, 3 epochs, random_state 7, fitted on the
// first 3000 rows of ml-latest-small with build_full_trainset() (fixtures/surprise/README).
const fixtures = new URL("./fixtures/surprise/", import.meta.url);
const reference = JSON.parse(
  await Deno.readTextFile(new URL("surprise-tiny.json", fixtures)),
);
const ratings = parseRatingsCsv(
  await Deno.readTextFile(new URL("ml-small-first3000.csv", fixtures)),
);
const data = trainData(ratings, range(3000), new Int32Array(0), [0.5, 5]);
const TOLERANCE = 1e-9;

for (
  const [name, model, shapeOf] of [
    ["SVDpp", svdpp, { implicit: true }],
    ["SVD", svd, { implicit: false }],
  ] as const
) {
  Deno.test(`${name} replays Surprise to 1e-9 (surprise-tiny.json)`, () => {
    const expected = reference[name];
    const p = expected.params;
    const config = model.config.parse({
      factors: p.n_factors,
      epochs: p.n_epochs,
      lr: p.lr_all,
      reg: p.reg_all,
      init_mean: p.init_mean,
      init_std: p.init_std_dev,
      ...(name === "SVDpp" ? { variant: "surprise" } : { precision: "float64" }),
    });
    // deno-lint-ignore no-explicit-any
    const params = (model.fit as any)(config, data, silentContext(p.random_state, "numpy"));
    const ts = buildTrainset(data);
    assert.equal(ts.nUsers, reference.n_users);
    assert.equal(ts.nItems, reference.n_items);
    assertClose([ts.globalMean], [reference.global_mean], 1e-12, "global mean");
    const fitted = paramsFromTable(params, ts, {
      factors: p.n_factors,
      biased: true,
      implicit: shapeOf.implicit,
    });
    assertClose(fitted.bu.subarray(0, 5), expected.bu_first5, TOLERANCE, "bu");
    assertClose(fitted.bi.subarray(0, 5), expected.bi_first5, TOLERANCE, "bi");
    assertClose(fitted.pu.subarray(0, p.n_factors), expected.pu_inner0, TOLERANCE, "pu[0]");
    assertClose(fitted.qi.subarray(0, p.n_factors), expected.qi_inner0, TOLERANCE, "qi[0]");
    if (shapeOf.implicit) {
      assertClose(fitted.yj!.subarray(0, p.n_factors), expected.yj_inner0, TOLERANCE, "yj[0]");
    }

    const predictions = expected.predictions as {
      user: number;
      item: number;
      est_clipped: number;
      est_unclipped: number;
    }[];
    const users = Int32Array.from(predictions, (q) => denseOf(ratings.userIds, q.user));
    const items = Int32Array.from(predictions, (q) => denseOf(ratings.itemIds, q.item));
    assert(users.includes(-1) && items.includes(-1), "reference covers unknown ids");
    // deno-lint-ignore no-explicit-any
    const clipped = (model.predict as any)(config, params, data, users, items);
    assertClose(clipped, predictions.map((q) => q.est_clipped), TOLERANCE, "clipped predictions");
    const unclipped = predictPairs(fitted, ts, users, items, null);
    assertClose(
      unclipped,
      predictions.map((q) => q.est_unclipped),
      TOLERANCE,
      "unclipped predictions",
    );
  });
}

Deno.test("the fast SVD++ trainer (float64) is Surprise's SGD up to rounding", () => {
  const expected = reference.SVDpp;
  const p = expected.params;
  const config = svdpp.config.parse({
    factors: p.n_factors,
    epochs: p.n_epochs,
    lr: p.lr_all,
    reg: p.reg_all,
    variant: "fast",
    precision: "float64",
  });
  const params = svdpp.fit(config, data, silentContext(p.random_state, "numpy")) as Table;
  const fitted = paramsFromTable(params, buildTrainset(data), {
    factors: p.n_factors,
    biased: true,
    implicit: true,
  });
  assertClose(fitted.bu.subarray(0, 5), expected.bu_first5, TOLERANCE, "bu");
  assertClose(fitted.bi.subarray(0, 5), expected.bi_first5, TOLERANCE, "bi");
  assertClose(fitted.pu.subarray(0, p.n_factors), expected.pu_inner0, TOLERANCE, "pu[0]");
  assertClose(fitted.qi.subarray(0, p.n_factors), expected.qi_inner0, TOLERANCE, "qi[0]");
  assertClose(fitted.yj!.subarray(0, p.n_factors), expected.yj_inner0, TOLERANCE, "yj[0]");
});
