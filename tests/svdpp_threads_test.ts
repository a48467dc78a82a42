import assert from "node:assert/strict";
import type { Ratings } from "../data/ratings.ts";
import type { RecommendRequest, StepContext, TrainData } from "../models/model.ts";
import type { Table } from "../runners/table.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";
import { resolveRates } from "../models/svdpp/config.ts";
import { fitFactorModel } from "../models/svdpp/fit.ts";
import { rmse } from "../models/svdpp/fit_epochs.ts";
import { WorkerPool } from "../models/svdpp/worker_pool.ts";
import { range, silentContext, syntheticRatings } from "./svdpp_helpers.ts";

/**
 * Runs `body` tracking the Workers it starts (Deno's sanitizers do not notice a forgotten
 * one); fails if any is left running once `body` settled, even rejected. Returns how many
 * were started.
 */
async function leavesNoWorker(body: () => Promise<void>): Promise<number> {
  const Original = globalThis.Worker;
  const alive = new Set<Worker>();
  let started = 0;
  globalThis.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      alive.add(this);
      started++;
    }
    override terminate(): void {
      alive.delete(this);
      super.terminate();
    }
  };
  try {
    await body();
  } finally {
    globalThis.Worker = Original;
    const left = alive.size;
    for (const worker of alive) worker.terminate();
    assert.equal(left, 0, `${left} worker(s) left running`);
  }
  return started;
}

Deno.test("threads: an integer >= 1, default 1; the surprise variant refuses more", () => {
  assert.equal(svdpp.config.parse({}).threads, 1);
  assert.equal(svd.config.parse({ threads: 2 }).threads, 2);
  for (const threads of [0, 1.5, -1]) {
    assert.equal(svdpp.config.safeParse({ threads }).success, false, `threads ${threads}`);
    assert.equal(svd.config.safeParse({ threads }).success, false, `svd threads ${threads}`);
  }
  const refused = svdpp.config.safeParse({ variant: "surprise", threads: 2 });
  assert.equal(refused.success, false);
  assert.deepEqual(refused.error!.issues[0].path, ["threads"]);
  assert.match(refused.error!.issues[0].message, /needs variant fast/);
  assert.equal(svdpp.config.safeParse({ variant: "surprise", threads: 1 }).success, true);
  // a spec's schema spreads the fields without the refinement: fit checks again
  const unchecked = { ...svdpp.config.parse({ variant: "surprise" }), threads: 2 };
  const { data } = small();
  assert.throws(() => svdpp.fit(unchecked, data, silentContext(1)), /threads 2 needs variant fast/);
});

/** Synthetic ratings plus one dev row of a user and one of an item that never trained. */
function small(users = 150): { data: TrainData } {
  const { data } = syntheticRatings({
    users,
    items: 70,
    perUser: 12,
    rank: 2,
    sigma: 0.3,
    seed: 4,
  });
  const r = data.ratings;
  const n = r.user.length;
  const newUser = r.userIds.length;
  const newItem = r.itemIds.length;
  const ratings: Ratings = {
    user: Int32Array.of(...r.user, newUser, 0),
    item: Int32Array.of(...r.item, 0, newItem),
    rating: Float32Array.of(...r.rating, 3, 4),
    userIds: Int32Array.of(...r.userIds, 10 ** 6),
    itemIds: Int32Array.of(...r.itemIds, 10 ** 6),
  };
  return {
    data: {
      ...data,
      ratings,
      dev: Int32Array.of(...data.dev, n, n + 1),
      nUsers: newUser + 1,
      nItems: newItem + 1,
    },
  };
}

/** Every user (the unknown one included), shuffled; each user's training items excluded. */
function requestFor(data: TrainData, candidates: Int32Array | null): RecommendRequest {
  const users = range(data.nUsers).reverse();
  [users[3], users[40]] = [users[40], users[3]];
  const perUser: number[][] = Array.from({ length: data.nUsers }, () => []);
  for (const row of data.train) perUser[data.ratings.user[row]].push(data.ratings.item[row]);
  const offsets = new Int32Array(data.nUsers + 1);
  perUser.forEach((items, u) => (offsets[u + 1] = offsets[u] + items.length));
  return { users, k: 7, exclude: { offsets, values: Int32Array.from(perUser.flat()) }, candidates };
}

Deno.test("recommend with 2 or 3 threads gives lists identical to one thread", async () => {
  const { data } = small(700);
  for (const [model, options] of [[svdpp, {}], [svd, { biased: false }], [svd, {}]] as const) {
    const config = model.config.parse({ factors: 5, epochs: 2, ...options });
    // deno-lint-ignore no-explicit-any
    const m = model as any;
    const params: Table = m.fit(config, data, silentContext(6));
    for (const candidates of [null, Int32Array.of(5, 3, 5, 60, 0, 70, 2)]) {
      const request = requestFor(data, candidates);
      const one: Int32Array = m.recommend(config, params, data, request, silentContext(0));
      assert.ok(one.some((item) => item >= 0));
      for (const threads of [2, 3]) {
        const what = `${model.type} ${JSON.stringify(options)}, ${threads} threads`;
        const started = await leavesNoWorker(async () => {
          const many = await m.recommend({ ...config, threads }, params, data, request);
          assert.ok(many.buffer instanceof ArrayBuffer, `${what}: an ordinary array`);
          assert.deepEqual(many, one, what);
        });
        assert.equal(started, threads, what);
      }
    }
  }
});

Deno.test("the python tie orders: 2 threads give one thread's lists, per-user rows too", async () => {
  const { data } = small(300);
  const config = svdpp.config.parse({ factors: 4, epochs: 2 });
  const params = await svdpp.fit(config, data, silentContext(6));
  // ids far apart in a small table: collisions, so set order differs from item order
  const ratings = { ...data.ratings, itemIds: data.ratings.itemIds.map((id) => id * 1024 + 7) };
  const scaled = { ...data, ratings, scale: [1, 3] as [number, number] };
  // the whole catalogue: seen sets are small, CPython's copy order; six candidates: users
  // have seen more than a quarter of them, CPython iterates into a new set (own rows)
  for (const candidates of [null, Int32Array.of(5, 3, 5, 60, 0, 70, 2)]) {
    for (const ties of ["python_set", "python_set_difference"] as const) {
      const request = { ...requestFor(scaled, candidates), ties };
      const one = await svdpp.recommend!(config, params, scaled, request, silentContext(0));
      const byItem = await svdpp.recommend!(
        config,
        params,
        scaled,
        { ...request, ties: "item" },
        silentContext(0),
      );
      assert.notDeepEqual(one, byItem, `${ties}: ties do occur`);
      await leavesNoWorker(async () => {
        const threaded = { ...config, threads: 2 };
        const many = await svdpp.recommend!(threaded, params, scaled, request, silentContext(0));
        assert.deepEqual(many, one, `${ties}, candidates ${candidates}`);
      });
    }
  }
});

Deno.test("recommend with threads rejects a bad request before starting workers", async () => {
  const { data } = small();
  const config = svdpp.config.parse({ factors: 2, epochs: 1, threads: 2 });
  const params = await svdpp.fit(config, data, silentContext(1));
  const request = { users: Int32Array.of(data.nUsers), k: 2, exclude: null, candidates: null };
  const started = await leavesNoWorker(() =>
    assert.rejects(
      async () => await svdpp.recommend!(config, params, data, request, silentContext(0)),
      /users\[0\]/,
    )
  );
  assert.equal(started, 0);
});

function loggingContext(seed: number, lines: string[]): StepContext {
  return { seed, rng: "seeded", progress() {}, log: (line) => lines.push(line) };
}

Deno.test("threaded fits: dev RMSE is exactly the predictions' RMSE; close to one thread", async () => {
  const { data } = small(400);
  const actual = Float64Array.from(data.dev, (row) => data.ratings.rating[row]);
  const devUsers = Int32Array.from(data.dev, (row) => data.ratings.user[row]);
  const devItems = Int32Array.from(data.dev, (row) => data.ratings.item[row]);
  const cases = [
    [svdpp, { precision: "float32" }],
    [svdpp, { precision: "float64" }],
    [svd, {}],
  ] as const;
  for (const [model, options] of cases) {
    const config = model.config.parse({ factors: 2, epochs: 12, lr: 0.02, ...options });
    // deno-lint-ignore no-explicit-any
    const m = model as any;
    const what = `${model.type} ${JSON.stringify(options)}`;
    const lines: string[] = [];
    let threaded: Table = {};
    const started = await leavesNoWorker(async () => {
      threaded = await m.fit({ ...config, threads: 2 }, data, loggingContext(3, lines));
    });
    assert.equal(started, 2, `${what}: workers started once for all epochs`);
    assert.match(lines[0], /2 worker threads, lock-free \(Hogwild\) SGD: not bit-reproducible/);
    assert.equal(lines.length, 13, `${what}: one line per epoch after the first`);
    // the last epoch's dev RMSE was computed by the workers from the final parameters
    const predicted = m.predict(config, threaded, data, devUsers, devItems);
    const dev = threaded.epoch_dev_rmse as Float64Array;
    assert.equal(dev[11], rmse(predicted, actual), `${what}: dev RMSE`);
    assert.ok(
      (threaded.pu as Float32Array).buffer instanceof ArrayBuffer,
      `${what}: ordinary parameter arrays`,
    );
    const train = threaded.epoch_train_rmse as Float64Array;
    assert.ok(train[11] < train[0] && dev[11] < dev[0], `${what}: the fit learns`);
    const single: Table = m.fit(config, data, silentContext(3));
    const singleDev = (single.epoch_dev_rmse as Float64Array)[11];
    assert.ok(Math.abs(dev[11] - singleDev) < 0.02, `${what}: ${dev[11]} vs ${singleDev}`);
  }
});

Deno.test("an error thrown in a worker surfaces naming the epoch; workers are terminated", async () => {
  const { data } = small();
  // the fast SVD++ trainer without implicit factors (y_j) fails inside the workers
  const plan = {
    name: "svdpp/fast",
    trainer: "svdpp-fast" as const,
    epochs: 2,
    rates: resolveRates(svdpp.config.parse({})),
    threads: 2,
    init: {
      factors: 2,
      initMean: 0,
      initStd: 0.1,
      precision: "float32" as const,
      implicit: false,
      biased: true,
    },
  };
  const started = await leavesNoWorker(() =>
    assert.rejects(
      async () => await fitFactorModel(plan, data, silentContext(1)),
      /svdpp\/fast epoch 1\/2 \(sgd\): worker [12] of 2 failed: TypeError/,
    )
  );
  assert.equal(started, 2);
});

Deno.test("the worker pool names the task that failed and refuses work once terminated", async () => {
  const pool = new WorkerPool(2, "test");
  try {
    await assert.rejects(
      pool.run("epoch 7", [{ kind: "train-epoch" }, { kind: "train-epoch" }]),
      /^Error: epoch 7: worker [12] of 2 failed: Error: svdpp worker: an epoch task came before/,
    );
    assert.throws(() => pool.run("x", [{ kind: "dev-predict" }]), /1 tasks for 2 workers/);
  } finally {
    pool.terminate();
  }
  assert.throws(() => pool.run("later", []), /later: the worker pool was terminated/);
});
