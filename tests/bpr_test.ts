/** BPR-MF: planted preferences, seeded reproducibility, curves, Hogwild workers. */
import assert from "node:assert/strict";
import { bpr } from "../models/bpr/mod.ts";
import { bprSgd, type BprState, interactionUsers } from "../models/bpr/sgd.ts";
import { interactions } from "../models/implicit/interactions.ts";
import { plantedAuc, plantedData } from "./factor_models_helpers.ts";
import { silentContext } from "./svdpp_helpers.ts";

const score = (params: Record<string, ArrayLike<number>>, f: number) => (u: number, i: number) => {
  let s = (params.item_bias as Float64Array)[i];
  for (let k = 0; k < f; k++) {
    s += (params.user_factors as Float64Array)[u * f + k] *
      (params.item_factors as Float64Array)[i * f + k];
  }
  return s;
};

Deno.test("BPR reaches AUC > 0.9 on two user groups preferring two item groups", async () => {
  const planted = plantedData({ users: 300, items: 60, own: 0.25, other: 0.02, seed: 4 });
  const config = bpr.config.parse({ factors: 8, epochs: 40, reg: 0.02, dev_users: 50 });
  const params = await bpr.fit(config, planted.data, silentContext(9));
  const auc = plantedAuc(planted, score(params as never, 8));
  assert.ok(auc > 0.9, `AUC ${auc}`);
  const loss = params.epoch_train_bpr_loss as Float64Array;
  const ndcg = params["epoch_dev_ndcg@10"] as Float64Array;
  assert.equal(loss.length, 40);
  assert.equal(ndcg.length, 40);
  assert.ok(
    loss[39] < loss[0] && loss[0] < Math.log(2) + 0.05,
    `bpr loss ${loss[0]} -> ${loss[39]}`,
  );
  for (const v of ndcg) assert.ok(v >= 0 && v <= 1);
});

Deno.test("seeded BPR fits are bit-identical; another seed differs", async () => {
  const { data } = plantedData({ users: 40, items: 30, own: 0.3, other: 0.05, seed: 8 });
  const config = bpr.config.parse({ factors: 4, epochs: 3 });
  const one = await bpr.fit(config, data, silentContext(5));
  assert.deepEqual(await bpr.fit(config, data, silentContext(5)), one);
  const other = await bpr.fit(config, data, silentContext(6));
  assert.notDeepEqual(other.user_factors, one.user_factors);
});

Deno.test("Hogwild workers (threads 2) also learn the planted groups", async () => {
  const planted = plantedData({ users: 300, items: 60, own: 0.25, other: 0.02, seed: 4 });
  const config = bpr.config.parse({ factors: 8, epochs: 40, reg: 0.02, threads: 2, dev_users: 0 });
  const params = await bpr.fit(config, planted.data, silentContext(9));
  assert.ok(plantedAuc(planted, score(params as never, 8)) > 0.9);
  assert.equal((params.epoch_train_bpr_loss as Float64Array).length, 40);
});

Deno.test("a triple's negative is never one of the user's items; a user with every item is skipped", () => {
  // user 0 has items {0, 2}, user 1 every item: every usable triple is (0, i, 1) or (0, i, 3)
  const { data } = plantedData({ users: 1, items: 1, own: 1, other: 1, seed: 1 });
  const rows: Array<[number, number]> = [[0, 0], [0, 2], [1, 0], [1, 1], [1, 2], [1, 3]];
  const ratings = {
    ...data.ratings,
    user: Int32Array.from(rows, (r) => r[0]),
    item: Int32Array.from(rows, (r) => r[1]),
    rating: new Float32Array(rows.length).fill(1),
  };
  const x = interactions({
    ...data,
    ratings,
    train: Int32Array.of(0, 1, 2, 3, 4, 5),
    nUsers: 2,
    nItems: 4,
  });
  const state: BprState = {
    factors: 1,
    nItems: 4,
    interactionUser: interactionUsers(x.userOffsets, x.userItems.length),
    userOffsets: x.userOffsets,
    userItems: x.userItems,
    userFactors: Float64Array.of(0, 0),
    itemFactors: new Float64Array(4),
    itemBias: new Float64Array(4),
    lr: 0.1,
    reg: 0,
  };
  const [loss, used] = bprSgd(state, 3000, 77);
  assert.ok(used > 0 && used < 3000, `used ${used}`);
  assert.ok(loss > 0);
  // with zero factors only biases move: the positives 0, 2 rise, the negatives 1, 3 fall
  assert.ok(state.itemBias[0] > 0 && state.itemBias[2] > 0, `${state.itemBias}`);
  assert.ok(state.itemBias[1] < 0 && state.itemBias[3] < 0, `${state.itemBias}`);
  assert.ok(Math.abs(state.itemBias.reduce((a, b) => a + b, 0)) < 1e-9, "each step moves ±g");
});
