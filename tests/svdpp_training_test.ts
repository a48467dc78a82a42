import assert from "node:assert/strict";
import type { Table } from "../runners/table.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";
import { silentContext, syntheticRatings } from "./svdpp_helpers.ts";

function lastDevRmse(params: Table): number {
  const curve = params.epoch_dev_rmse as Float64Array;
  return curve[curve.length - 1];
}

Deno.test("fast and surprise SVD++ reach the same test RMSE (repeated items included)", () => {
  const { data } = syntheticRatings({
    users: 80,
    items: 60,
    perUser: 20,
    repeats: 2,
    rank: 2,
    sigma: 0.4,
    seed: 11,
  });
  const fit = (variant: "fast" | "surprise", precision?: "float32" | "float64") => {
    const config = svdpp.config.parse({ factors: 2, epochs: 10, lr: 0.02, variant, precision });
    return lastDevRmse(svdpp.fit(config, data, silentContext(5)) as Table);
  };
  const exact = fit("surprise");
  for (const precision of ["float32", "float64"] as const) {
    const fast = fit("fast", precision);
    assert.ok(Math.abs(fast - exact) < 0.01, `fast ${precision}: ${fast} vs surprise ${exact}`);
  }
});

Deno.test("SVD++ and SVD recover known factors: test RMSE approaches the noise sd", () => {
  const sigma = 0.5;
  const { data } = syntheticRatings({
    users: 400,
    items: 150,
    perUser: 60,
    rank: 2,
    sigma,
    seed: 3,
  });
  const svdppParams = svdpp.fit(
    svdpp.config.parse({ factors: 2, epochs: 25, lr: 0.02 }),
    data,
    silentContext(1),
  ) as Table;
  const svdParams = svd.fit(
    svd.config.parse({ factors: 2, epochs: 25, lr: 0.02 }),
    data,
    silentContext(1),
  ) as Table;
  for (const [name, params] of [["svdpp", svdppParams], ["svd", svdParams]] as const) {
    const dev = params.epoch_dev_rmse as Float64Array;
    const train = params.epoch_train_rmse as Float64Array;
    assert.ok(lastDevRmse(params) < 1.15 * sigma, `${name}: ${lastDevRmse(params)} vs ${sigma}`);
    assert.ok(dev[dev.length - 1] < dev[0], `${name}: dev RMSE falls`);
    assert.ok(train[train.length - 1] < train[0], `${name}: train RMSE falls`);
  }
});

Deno.test("fitting twice gives bit-identical parameters (each variant, each rng)", () => {
  const { data } = syntheticRatings({
    users: 40,
    items: 30,
    perUser: 10,
    rank: 2,
    sigma: 0.3,
    seed: 8,
  });
  for (const rng of ["seeded", "numpy"] as const) {
    for (const variant of ["fast", "surprise"] as const) {
      const config = svdpp.config.parse({ factors: 3, epochs: 3, variant });
      const first = svdpp.fit(config, data, silentContext(9, rng)) as Table;
      const second = svdpp.fit(config, data, silentContext(9, rng)) as Table;
      const other = svdpp.fit(config, data, silentContext(10, rng)) as Table;
      assert.deepEqual(Object.keys(first).sort(), Object.keys(second).sort());
      for (const name of Object.keys(first)) {
        assert.deepEqual(first[name], second[name], `${rng}/${variant}: column ${name}`);
      }
      assert.notDeepEqual(first.pu, other.pu, `${rng}/${variant}: the seed matters`);
    }
  }
});
