import { fractionSplit } from "../../data/split/fraction.ts";
import { itemSplit } from "../../data/split/items.ts";
import { kFoldPermutation } from "../../data/split/kfold.ts";
import { leaveLastSplit } from "../../data/split/leave_last.ts";
import { perUserSplit } from "../../data/split/per_user.ts";
import { parseTime, temporalSplit } from "../../data/split/temporal.ts";
import { UserError } from "../errors.ts";
import type { Experiment } from "../spec/schema.ts";
import type { Artifact } from "../table.ts";
import type { StepKind } from "./step.ts";

type Split = Experiment["split"];
/** Splits by time: deterministic, so neither seed nor generator enters their parameters. */
export type TimedSplit = Extract<Split, { method: "leave_last" | "temporal" }>;
export type TimedSplitParams = TimedSplit extends infer T
  ? T extends unknown ? Omit<T, "rng"> : never
  : never;
export type SplitParams =
  | (Exclude<Split, { method: "leave_last" | "temporal" }> & { seed: number })
  | TimedSplitParams;

/**
 * Divides the clean ratings into train, dev and test rows. For k-fold it writes the
 * shuffled row order; each fold's rows are a `fold` step of their own.
 */
export const splitStep: StepKind<SplitParams> = {
  kind: "split",
  modules: [import.meta.url],
  describe: (p) => {
    if (p.method === "leave_last") {
      return `leave last: each user's latest ${p.test} test + ${p.dev} dev rows by time`;
    }
    if (p.method === "temporal") return `temporal: ${describeTemporal(p)}`;
    if (p.method === "kfold") return `${p.folds}-fold, ${p.rng} rng`;
    if (p.method === "items") {
      return `items with a score: ${p.sample_frac * 100}% sample, ${
        p.train * 100
      }% of it to train, ${p.rng} rng`;
    }
    const perUser = p.method === "per_user" ? " per user" : "";
    return `${p.method}, ${p.test} test + ${p.dev} dev${perUser}, ${p.rng} rng`;
  },
  async run(params, inputs, ctx) {
    const user = inputs.clean.tables.ratings.user as Int32Array;
    const nUsers = (inputs.clean.tables.users.user_id as Int32Array).length;
    if (params.method === "leave_last" || params.method === "temporal") {
      return splitByTime(params, inputs.clean, ctx.log);
    }
    // The study's seed is used as is with numpy; our generator gets one derived per step.
    const seed = params.rng === "numpy" ? params.seed : ctx.seed;
    if (params.method === "items") return splitItems(params, inputs.clean, seed, ctx.log);
    if (params.method === "kfold") {
      if (user.length < params.folds) {
        throw new UserError(
          `${params.folds} folds of ${user.length} ratings leave a fold without training rows`,
          { path: "split.folds" },
        );
      }
      const order = kFoldPermutation(user.length, { rng: params.rng, seed });
      return { tables: { order: { row: order } }, meta: { folds: params.folds } };
    }
    let split;
    if (params.method === "fraction") {
      split = fractionSplit(user.length, { ...params, seed });
    } else if (params.rng === "numpy") {
      if (params.test !== 1 || params.dev !== 1) {
        throw new Error("rng numpy replays the study's split: 1 test and 1 dev row per user");
      }
      const { pandasPerUserSplit } = await import("../../data/rng/pandas_sample.ts");
      split = pandasPerUserSplit(user, nUsers, seed);
    } else {
      split = perUserSplit(user, nUsers, { test: params.test, dev: params.dev, seed });
    }
    ctx.log(`train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`);
    requireTrainingRows(
      split.train.length,
      "split",
      params.method === "per_user"
        ? `every user's ${params.test} test + ${params.dev} dev rows take all of their ratings`
        : `test ${params.test} + dev ${params.dev} of ${user.length} ratings take them all`,
    );
    return rowsArtifact(split.train, split.dev, split.test);
  },
};

/** Leave-last-out per user, or a global time cut: both need the ratings' timestamps. */
function splitByTime(params: TimedSplitParams, clean: Artifact, log: (m: string) => void) {
  const ratings = clean.tables.ratings;
  const timestamp = ratings.timestamp as Int32Array | undefined;
  if (timestamp === undefined) {
    throw new UserError(
      `${params.method} orders interactions by time, and the ratings file has no timestamp ` +
        "column (u.data and ratings.dat have a 4th field, ratings.csv a timestamp column)",
      { path: "split.method" },
    );
  }
  const user = ratings.user as Int32Array;
  if (params.method === "leave_last") {
    const nUsers = (clean.tables.users.user_id as Int32Array).length;
    const split = leaveLastSplit(user, timestamp, nUsers, params);
    log(`train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`);
    requireTrainingRows(
      split.train.length,
      "split",
      `every user's latest ${params.test} test + ${params.dev} dev rows take all of their ratings`,
    );
    return rowsArtifact(split.train, split.dev, split.test);
  }
  const time = (value: number | string | null) => value === null ? null : parseTime(value)!;
  const split = temporalSplit(timestamp, {
    test: params.test,
    testFrom: time(params.test_from),
    dev: params.dev,
    devFrom: time(params.dev_from),
  });
  if (params.dev_from !== null && split.devFrom >= split.testFrom) {
    throw new UserError(
      `dev_from ${params.dev_from} is not before the test cut ${isoTime(split.testFrom)} ` +
        `(the latest ${params.test} of the rows): the dev part would be empty`,
      { path: "split.dev_from" },
    );
  }
  log(
    `test from ${isoTime(split.testFrom)}, dev from ${isoTime(split.devFrom)}: ` +
      `train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`,
  );
  requireTrainingRows(
    split.train.length,
    "split",
    `no rating is older than the ${split.dev.length ? "dev" : "test"} cut ${
      isoTime(split.devFrom)
    }`,
  );
  const artifact = rowsArtifact(split.train, split.dev, split.test);
  Object.assign(artifact.meta, { test_from: split.testFrom, dev_from: split.devFrom });
  return artifact;
}

function describeTemporal(p: Extract<TimedSplitParams, { method: "temporal" }>): string {
  const test = p.test_from !== null ? `test from ${p.test_from}` : `latest ${p.test} to test`;
  const dev = p.dev_from !== null
    ? `, dev from ${p.dev_from}`
    : p.dev
    ? `, the ${p.dev} before it to dev`
    : "";
  return test + dev;
}

function isoTime(seconds: number): string {
  return Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString().replace(".000Z", "Z")
    : String(seconds);
}

/**
 * The item protocol: positions into the clean items that have a numeric score and a
 * non-empty synopsis (the others are counted, not fatal), then the study's draws.
 */
function splitItems(
  params: Extract<SplitParams, { method: "items" }>,
  clean: Artifact,
  seed: number,
  log: (message: string) => void,
): Artifact {
  const score = clean.tables.clean_items.score as Float32Array;
  const synopsis = clean.tables.clean_items.synopsis as string[];
  const usable: number[] = [];
  let noScore = 0, noSynopsis = 0;
  for (let i = 0; i < score.length; i++) {
    if (!Number.isFinite(score[i])) noScore++;
    else if (!synopsis[i]?.trim()) noSynopsis++;
    else usable.push(i);
  }
  const split = itemSplit(Int32Array.from(usable), { ...params, seed });
  log(
    `items ${score.length}: dropped ${noScore} without a numeric score, ${noSynopsis} with an empty synopsis; ` +
      `train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`,
  );
  requireTrainingRows(
    split.train.length,
    "split",
    `sample_frac ${params.sample_frac} and train ${params.train} of ${usable.length} usable items`,
  );
  const artifact = rowsArtifact(split.train, split.dev, split.test);
  Object.assign(artifact.meta.counts as Record<string, number>, {
    items_dropped_no_score: noScore,
    items_dropped_empty_synopsis: noSynopsis,
  });
  return artifact;
}

/**
 * A model trained on nothing gives meaningless metrics (or NaN): refuse it, naming the
 * spec field that emptied the training rows. Exit 2: the spec does not fit the data.
 */
export function requireTrainingRows(count: number, field: string, why: string): void {
  if (count > 0) return;
  throw new UserError(`no training rows left: ${why}`, { path: field });
}

/** The shape every split-like step produces: train, dev and test rows (and optionally seen). */
export function rowsArtifact(
  train: Int32Array,
  dev: Int32Array,
  test: Int32Array,
  seen?: Int32Array,
): Artifact {
  return {
    tables: {
      train: { row: train },
      dev: { row: dev },
      test: { row: test },
      ...(seen ? { seen: { row: seen } } : {}),
    },
    meta: { counts: { train: train.length, dev: dev.length, test: test.length } },
  };
}
