/**
 * Splits by time: leave-last-out per user and the global time cut, by hand and by property;
 * timestamps carried from a MovieLens file through clean to split; MAL refused up front.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { cleanRatings } from "../data/mal/clean.ts";
import { leaveLastSplit } from "../data/split/leave_last.ts";
import { parseTime, temporalSplit } from "../data/split/temporal.ts";
import { UserError } from "../runners/errors.ts";
import { validateSpec } from "../runners/spec/load.ts";
import { type CleanParams, cleanStep } from "../runners/steps/clean.ts";
import { loadMovieLensStep } from "../runners/steps/load_movielens.ts";
import { type SplitParams, splitStep } from "../runners/steps/split.ts";
import type { StepRunContext } from "../runners/steps/step.ts";
import { trainDataOf } from "../runners/steps/train_data.ts";
import { caught } from "./helpers/assert.ts";

const list = (a: Int32Array) => Array.from(a);
const sorted = (a: Iterable<number>) => [...a].sort((x, y) => x - y);

Deno.test("leave last, by hand: the latest row is test, the next dev; ties go to the later row", () => {
  // rows:        0   1   2   3   4   5   6   7   8
  const user = Int32Array.from([0, 1, 0, 0, 1, 2, 0, 1, 1]);
  const time = Int32Array.from([5, 9, 7, 7, 9, 4, 1, 3, 9]);
  // user 0: rows 0 (5), 2 (7), 3 (7), 6 (1): latest time 7 at rows 2 and 3 -> test 3, dev 2
  // user 1: rows 1, 4, 8 at time 9 and row 7 (3): test 8, dev 4 (the later of the rest at 9)
  // user 2: row 5 only: test, no dev
  const split = leaveLastSplit(user, time, 3, { test: 1, dev: 1 });
  assert.deepEqual(list(split.test), [3, 8, 5]);
  assert.deepEqual(list(split.dev), [2, 4]);
  assert.deepEqual(list(split.train), [0, 1, 6, 7], "train keeps file order");
  const noDev = leaveLastSplit(user, time, 3, { test: 1, dev: 0 });
  assert.deepEqual(list(noDev.dev), []);
  assert.deepEqual(list(noDev.train), [0, 1, 2, 4, 6, 7]);
  const two = leaveLastSplit(user, time, 3, { test: 2, dev: 0 });
  assert.deepEqual(list(two.test), [3, 2, 8, 4, 5], "latest first within a user");
  // times before 1970 order the same way
  const negative = leaveLastSplit(Int32Array.from([0, 0, 0]), Int32Array.from([-5, -1, -9]), 1, {
    test: 1,
    dev: 1,
  });
  assert.deepEqual([list(negative.test), list(negative.dev)], [[1], [0]]);
});

/** Users and timestamps with many ties, so the file-order rule is exercised. */
const timedRows = fc.integer({ min: 1, max: 6 }).chain((nUsers) =>
  fc.array(fc.tuple(fc.nat({ max: nUsers - 1 }), fc.integer({ min: 0, max: 4 })), {
    maxLength: 60,
  }).map((rows) => ({
    nUsers,
    user: Int32Array.from(rows, ([u]) => u),
    time: Int32Array.from(rows, ([, t]) => t),
  }))
);

/** The later of two rows in the leave-last order: later time, or same time and later in the file. */
const later = (time: Int32Array, a: number, b: number) =>
  time[a] > time[b] || (time[a] === time[b] && a > b);

Deno.test("property: leave last gives each user one test row, the latest (last in the file among ties)", () => {
  fc.assert(fc.property(timedRows, fc.boolean(), ({ nUsers, user, time }, withDev) => {
    const split = leaveLastSplit(user, time, nUsers, { test: 1, dev: withDev ? 1 : 0 });
    assert.deepEqual(
      sorted([...split.train, ...split.dev, ...split.test]),
      Array.from(user, (_, i) => i),
      "a partition of the rows",
    );
    for (let u = 0; u < nUsers; u++) {
      const rows = Array.from(user, (_, i) => i).filter((i) => user[i] === u);
      const tests = list(split.test).filter((r) => user[r] === u);
      const devs = list(split.dev).filter((r) => user[r] === u);
      assert.equal(tests.length, rows.length ? 1 : 0, `user ${u}: one test row`);
      if (!rows.length) continue;
      const maxTime = Math.max(...rows.map((r) => time[r]));
      assert.equal(time[tests[0]], maxTime, "the test row has the latest time");
      assert.equal(
        tests[0],
        Math.max(...rows.filter((r) => time[r] === maxTime)),
        "last among ties",
      );
      for (const r of rows) if (r !== tests[0]) assert.ok(later(time, tests[0], r));
      assert.equal(devs.length, withDev && rows.length > 1 ? 1 : 0, `user ${u}: dev rows`);
      for (const r of rows) {
        if (r !== tests[0] && devs.length && r !== devs[0]) assert.ok(later(time, devs[0], r));
      }
    }
  }));
});

Deno.test("temporal, by hand: fractions become cuts at a timestamp; ties go to the later part", () => {
  // times sorted: 1 2 3 3 3 5 8 9 9 9 (n 10)
  const time = Int32Array.from([3, 9, 1, 5, 9, 3, 2, 8, 9, 3]);
  // test 0.2: 2 rows -> the cut is the time of the 2nd latest row, 9: rows 1, 4, 8 (three)
  // dev 0.2 before it: positions 7-2=5 -> time 5: rows 3 and 7
  const split = temporalSplit(time, { test: 0.2, testFrom: null, dev: 0.2, devFrom: null });
  assert.deepEqual([split.testFrom, split.devFrom], [9, 5]);
  assert.deepEqual(list(split.test), [1, 4, 8]);
  assert.deepEqual(list(split.dev), [3, 7]);
  assert.deepEqual(list(split.train), [0, 2, 5, 6, 9]);
  // dev 0.3: 3 rows before position 7 -> position 4, time 3: rows 0, 5, 9 join dev as well
  const wide = temporalSplit(time, { test: 0.2, testFrom: null, dev: 0.3, devFrom: null });
  assert.deepEqual(list(wide.dev), [0, 3, 5, 7, 9]);
  // by times: test from 8, dev from 2
  const byTime = temporalSplit(time, { test: null, testFrom: 8, dev: null, devFrom: 2 });
  assert.deepEqual(list(byTime.test), [1, 4, 7, 8]);
  assert.deepEqual(list(byTime.dev), [0, 3, 5, 6, 9]);
  assert.deepEqual(list(byTime.train), [2]);
  const noDev = temporalSplit(time, { test: null, testFrom: 8, dev: null, devFrom: null });
  assert.deepEqual(list(noDev.dev), []);
});

Deno.test("property: a temporal split is a partition at two time cuts, parts at least their fraction", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: -3, max: 12 }), { minLength: 1, maxLength: 80 }),
    fc.double({ min: 0.01, max: 0.6, noNaN: true }),
    fc.double({ min: 0, max: 0.39, noNaN: true }),
    (times, test, dev) => {
      const time = Int32Array.from(times);
      const n = times.length;
      const split = temporalSplit(time, { test, testFrom: null, dev, devFrom: null });
      assert.deepEqual(
        sorted([...split.train, ...split.dev, ...split.test]),
        times.map((_, i) => i),
      );
      for (const r of split.test) assert.ok(time[r] >= split.testFrom);
      for (const r of split.dev) assert.ok(time[r] >= split.devFrom && time[r] < split.testFrom);
      for (const r of split.train) assert.ok(time[r] < split.devFrom);
      const wantTest = Math.min(n, Math.max(1, Math.round(test * n)));
      assert.ok(split.test.length >= wantTest, "test holds at least its fraction");
      // the cut is as late as possible: without the rows at the cut, test is short of it
      const atCut = times.filter((t) => t === split.testFrom).length;
      assert.ok(split.test.length - atCut < wantTest, "the test cut is the latest that fits");
      const wantDev = Math.round(dev * n);
      const before = n - split.test.length;
      if (wantDev > 0 && before > 0) {
        assert.ok(split.dev.length >= Math.min(wantDev, before), "dev holds its fraction");
        const devAtCut = times.filter((t) => t === split.devFrom).length;
        assert.ok(split.dev.length - devAtCut < wantDev, "the dev cut is the latest that fits");
      } else assert.equal(split.dev.length, 0);
      // parts keep file order
      for (const part of [split.train, split.dev, split.test]) {
        assert.deepEqual(list(part), sorted(part));
      }
    },
  ));
});

Deno.test("property: temporal cuts by time put exactly the rows at or after each time in the part", () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
    fc.integer({ min: 0, max: 21 }),
    fc.integer({ min: 0, max: 21 }),
    (times, a, b) => {
      const [devFrom, testFrom] = a < b ? [a, b] : [b, a];
      const time = Int32Array.from(times);
      const split = temporalSplit(time, { test: null, testFrom, dev: null, devFrom });
      const rows = times.map((_, i) => i);
      assert.deepEqual(list(split.test), rows.filter((i) => times[i] >= testFrom));
      assert.deepEqual(
        list(split.dev),
        rows.filter((i) => times[i] >= devFrom && times[i] < testFrom),
      );
    },
  ));
});

Deno.test("times: Unix seconds, ISO dates (UTC) and date-times; impossible dates refused", () => {
  assert.equal(parseTime(1420070400), 1420070400);
  assert.equal(parseTime("2015-01-01"), 1420070400);
  assert.equal(parseTime("2015-01-01T00:00"), 1420070400, "no zone means UTC");
  assert.equal(parseTime("2015-01-01T01:00:00+01:00"), 1420070400);
  assert.equal(parseTime("2015-01-01 12:30:15Z"), 1420070400 + 12 * 3600 + 30 * 60 + 15);
  for (const bad of ["2015-02-30", "2015-13-01", "01/02/2015", "yesterday", ""]) {
    assert.equal(parseTime(bad), undefined, bad);
  }
});

async function userError(fn: () => unknown): Promise<UserError> {
  const error = await caught(fn);
  assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
  return error;
}

Deno.test("MAL has no timestamps: leave_last and temporal are refused before any work", async () => {
  for (const method of ["leave_last", "temporal"]) {
    const error = await userError(() =>
      validateSpec({ name: "x", split: { method }, model: { type: "toppop" } })
    );
    assert.match(error.describe(), /split\.method: /);
    assert.match(error.describe(), new RegExp(`${method} orders each interaction by its time`));
    assert.match(error.describe(), /users-score-2023\.csv.*no timestamps/);
  }
});

Deno.test("spec: temporal fields, their defaults and their checks", async () => {
  const movielens = { source: "movielens", path: "ratings.csv" };
  const spec = (split: Record<string, unknown>) =>
    validateSpec({ name: "x", data: movielens, split, model: { type: "toppop" } });
  assert.deepEqual(spec({ method: "temporal" }).split, {
    method: "temporal",
    test: 0.1,
    test_from: null,
    dev: 0.1,
    dev_from: null,
    rng: "seeded",
  });
  const byTime = spec({ method: "temporal", test_from: "2015-01-01", dev_from: 1400000000 });
  assert.deepEqual(byTime.split, {
    method: "temporal",
    test: null,
    test_from: "2015-01-01",
    dev: null,
    dev_from: 1400000000,
    rng: "seeded",
  });
  assert.deepEqual(spec({ method: "leave_last" }).split, {
    method: "leave_last",
    test: 1,
    dev: 1,
    rng: "seeded",
  });
  const both = await userError(() => spec({ method: "temporal", test: 0.2, test_from: 5 }));
  assert.match(both.describe(), /split\.test_from: give test .* or test_from .*, not both/);
  const order = await userError(() =>
    spec({ method: "temporal", test_from: "2015-01-01", dev_from: "2016-01-01" })
  );
  assert.match(order.describe(), /split\.dev_from: dev_from 2016-01-01 must be before test_from/);
  const bad = await userError(() => spec({ method: "temporal", test_from: "2015-02-30" }));
  assert.match(bad.describe(), /split\.test_from: "2015-02-30" is not a time/);
  const sum = await userError(() => spec({ method: "temporal", test: 0.6, dev: 0.4 }));
  assert.match(sum.describe(), /split\.dev: test 0\.6 \+ dev 0\.4 leave no training rows/);
});

function context(): StepRunContext {
  return {
    seed: 1,
    rng: "seeded",
    progress: () => {},
    log: () => {},
    filesDir: () => {
      throw new Error("not used");
    },
    inputFiles: () => {
      throw new Error("not used");
    },
  };
}

const cleanParams: CleanParams = {
  source: "movielens",
  files: ["ratings2023"],
  scale: [0.5, 5],
  synopsis_min: 0,
  synopsis_max: 1,
  dedupe: false,
  duplicates: "keep",
  min_user_ratings: 1,
  min_item_ratings: 1,
};

/** load_movielens -> clean -> split, as the planner chains them, on a file of the test's own. */
async function splitFile(text: string, split: SplitParams) {
  const dir = await Deno.makeTempDir({ prefix: "split-by-time-" });
  try {
    const path = join(dir, "ratings.csv");
    await Deno.writeTextFile(path, text);
    const ctx = context();
    const load = await loadMovieLensStep.run({ path, scale: [0.5, 5] }, {}, ctx);
    const clean = await cleanStep.run(cleanParams, { load }, ctx);
    return { clean, split: await splitStep.run(split, { clean }, ctx) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("MovieLens timestamps reach the split; an item only in test rows keeps its index", async () => {
  // movie 30 is rated once, as user 2's latest row: it is in no training row
  const { clean, split } = await splitFile(
    "userId,movieId,rating,timestamp\n1,10,4,100\n1,20,3,300\n2,10,5,50\n2,30,2,60\n" +
      "1,20,1,300\n2,20,4,55\n",
    { method: "leave_last", test: 1, dev: 0 },
  );
  assert.deepEqual(list(clean.tables.ratings.timestamp as Int32Array), [100, 300, 50, 60, 300, 55]);
  // user 1: rows 1 and 4 share the latest time 300: the later (4) is test
  assert.deepEqual(list(split.tables.test.row as Int32Array), [4, 3]);
  assert.deepEqual(list(split.tables.train.row as Int32Array), [0, 1, 2, 5]);
  const data = trainDataOf(clean, split);
  assert.equal(data.nItems, 3, "movie 30 is in the catalogue");
  assert.deepEqual(list(data.ratings.itemIds), [10, 20, 30]);
});

Deno.test("timestamps follow their rows through cleaning (dropped rows, renumbered ids)", () => {
  const { ratings } = cleanRatings(
    [{
      name: "ratings",
      ratings: {
        userId: Int32Array.from([7, 8, 7, 9]),
        animeId: Int32Array.from([1, 2, 2, 1]),
        rating: Float32Array.from([4, 3, 5, 2]),
        timestamp: Int32Array.from([10, 20, 30, 40]),
      },
    }],
    Int32Array.from([1, 2]),
    { dedupe: false, min_user_ratings: 2, min_item_ratings: 1 },
  );
  assert.deepEqual(list(ratings.userIds), [7]);
  assert.deepEqual(list(ratings.timestamp!), [10, 30]);
});

Deno.test("a MovieLens file without timestamps: the split by time names split.method", async () => {
  const error = await userError(() =>
    splitFile("userId,movieId,rating\n1,10,4\n1,20,3\n", { method: "leave_last", test: 1, dev: 0 })
  );
  assert.match(
    error.describe(),
    /split\.method: leave_last orders interactions by time, .*no timestamp/,
  );
});

Deno.test("temporal through the steps: no training row left is an error naming split", async () => {
  const error = await userError(() =>
    splitFile("userId,movieId,rating,timestamp\n1,10,4,5\n2,20,3,5\n", {
      method: "temporal",
      test: 0.5,
      test_from: null,
      dev: null,
      dev_from: null,
    })
  );
  assert.match(error.describe(), /^split: no training rows left/);
});

Deno.test("temporal: a dev_from not before the test cut found from a fraction names split.dev_from", async () => {
  const error = await userError(() =>
    splitFile("userId,movieId,rating,timestamp\n1,10,4,5\n2,20,3,6\n1,20,3,7\n2,10,3,8\n", {
      method: "temporal",
      test: 0.5,
      test_from: null,
      dev: null,
      dev_from: 7,
    })
  );
  assert.match(error.describe(), /^split\.dev_from: dev_from 7 is not before the test cut/);
});

Deno.test("plan: a split by time leaves seed and rng out of its parameters (a new seed keeps it)", async () => {
  const { planExperiment } = await import("../runners/plan.ts");
  const splitOf = (seed: number) =>
    planExperiment(validateSpec({
      name: "x",
      seed,
      data: { source: "movielens", path: "ratings.csv" },
      split: { method: "leave_last", dev: 0 },
      model: { type: "toppop" },
    })).find((step) => step.name === "split")!.params;
  assert.deepEqual(splitOf(1), { method: "leave_last", test: 1, dev: 0 });
  assert.deepEqual(splitOf(2), splitOf(1));
});
