/**
 * The neighbourhood models in worker threads: the fitted tables and the lists are identical
 * for any thread count (each column's top-k, and each user's list, is computed alone).
 */
import assert from "node:assert/strict";
import { seededRandom } from "../data/rng/seeded.ts";
import { itemknn, rp3beta, userknn } from "../models/knn/mod.ts";
import type { ModelDefinition } from "../models/model.ts";
import { itemsByUser } from "../runners/steps/train_data.ts";
import { dataOfPairs, recordingContext } from "./knn_helpers.ts";

/** Skewed random interactions: 400 users, 120 items, popular items at low indices. */
function skewedData() {
  const random = seededRandom(11);
  const user: number[] = [];
  const item: number[] = [];
  for (let u = 0; u < 400; u++) {
    const count = 1 + Math.floor(random() * random() * 40);
    for (let c = 0; c < count; c++) {
      const r = random();
      user.push(u);
      item.push(Math.floor(120 * r * r));
    }
  }
  return dataOfPairs(user, item, 400, 120);
}

const models = { itemknn, userknn, rp3beta } as Record<string, ModelDefinition>;

for (const [type, model] of Object.entries(models)) {
  Deno.test(`${type}: 2 and 3 threads give one thread's weights and lists`, async () => {
    const data = skewedData();
    const users = Int32Array.from({ length: 400 }, (_, u) => 399 - u);
    const request = {
      users,
      k: 10,
      exclude: itemsByUser(data, data.train),
      candidates: null,
    };
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const config = model.config.parse({ k_neighbors: 7, threads });
      const ctx = recordingContext();
      const params = await model.fit(config, data, ctx);
      const lists = await model.recommend!(config, params, data, request, ctx);
      assert.ok(ctx.progressCalls > 0, "progress is reported");
      runs.push({ params, lists });
    }
    for (const run of runs.slice(1)) {
      assert.deepEqual(run.params, runs[0].params);
      assert.deepEqual(run.lists, runs[0].lists);
    }
    assert.ok((runs[0].params.columns as Int32Array).length > 0);
  });
}

Deno.test("threaded results leave in ordinary memory (the cache refuses shared buffers)", async () => {
  const data = skewedData();
  const config = itemknn.config.parse({ threads: 2 });
  const params = await itemknn.fit(config, data, recordingContext());
  for (const column of Object.values(params)) {
    assert.ok(!((column as Int32Array).buffer instanceof SharedArrayBuffer));
  }
  const users = Int32Array.of(0, 1, 2);
  const request = { users, k: 3, exclude: null, candidates: null };
  const lists = await itemknn.recommend!(config, params, data, request, recordingContext());
  assert.ok(!(lists.buffer instanceof SharedArrayBuffer));
});

Deno.test("a bad user is refused before any worker starts", async () => {
  const data = skewedData();
  const config = itemknn.config.parse({ threads: 2 });
  const params = await itemknn.fit(config, data, recordingContext());
  const request = { users: Int32Array.of(400), k: 3, exclude: null, candidates: null };
  await assert.rejects(
    async () => await itemknn.recommend!(config, params, data, request, recordingContext()),
    /users\[0\] = 400/,
  );
});
