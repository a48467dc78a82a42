import { z } from "zod";
import { isMetricName, metricNames } from "../../metrics/registry.ts";
import { modelSchemas } from "../../models/registry.ts";
import { didYouMean } from "../errors.ts";
import { SweepSchema } from "../sweep/schema.ts";
import { parseTime } from "../../data/split/temporal.ts";
import { DEFAULT_RESAMPLES } from "../uncertainty/bootstrap.ts";

/** Where the ratings come from: the MAL Kaggle files (or the embedded generator), or MovieLens. */
export const DataSchema = z.strictObject({
  source: z.enum(["mal", "movielens"]).default("mal"),
  /** folder holding the three Kaggle CSV files; null uses the embedded generated dataset */
  dir: z.string().min(1).nullable().default(null),
  /** a MovieLens `u.data`, `ratings.csv` or `ratings.dat` file (source: movielens) */
  path: z.string().min(1).nullable().default(null),
  /** scale of the embedded dataset when `dir` is null */
  scale: z.enum(["tiny", "default", "full"]).default("default"),
  /** seed of the embedded dataset generator (not the experiment seed: the data stays put) */
  generator_seed: z.number().int().nonnegative().default(2023),
  /** which rating files to use, stacked in this order as the study did */
  files: z.array(z.enum(["ratings2018", "ratings2023"])).min(1).superRefine(noRepeats).default([
    "ratings2018",
    "ratings2023",
  ]),
  /** [min, max] of ratings, for clipping predictions and checking files; null: by source */
  rating_scale: z.tuple([z.number(), z.number()]).nullable().default(null),
  clean: z.strictObject({
    /** keep synopses whose length (code points) lies in this inclusive range */
    synopsis_min: z.number().int().nonnegative().default(30),
    synopsis_max: z.number().int().positive().default(2000),
    /** drop a (user, anime) pair rated in both files, keeping the 2023 rating */
    dedupe: z.boolean().default(false),
    /**
     * a (user, anime) pair repeated within one file: `keep` every row (the study's pandas
     * code did), or `drop` all but the first; counted either way
     */
    duplicates: z.enum(["keep", "drop"]).default("keep"),
    min_user_ratings: z.number().int().min(1).default(1),
    min_item_ratings: z.number().int().min(1).default(1),
  }).prefault({}),
}).superRefine((data, ctx) => {
  if (data.source === "movielens" && data.path === null) {
    ctx.addIssue({ code: "custom", path: ["path"], message: "source movielens needs data.path" });
  }
  if (data.rating_scale && !(data.rating_scale[0] < data.rating_scale[1])) {
    ctx.addIssue({
      code: "custom",
      path: ["rating_scale"],
      message: "expected [min, max], min < max",
    });
  }
});

/** A file listed twice would be stacked twice: every rating counted double. */
function noRepeats(values: string[], ctx: z.RefinementCtx) {
  values.forEach((value, index) => {
    if (values.indexOf(value) < index) {
      ctx.addIssue({
        code: "custom",
        path: [index],
        message: `'${value}' is listed twice: each rating file may appear once`,
      });
    }
  });
}

const rng = z.enum(["seeded", "numpy"]).default("seeded");

/** A time: Unix seconds, or an ISO date / date and time (no zone: UTC). */
const Time = z.union([z.number(), z.string()]).nullable().default(null).superRefine(
  (value, ctx) => {
    if (value !== null && parseTime(value) === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(value)} is not a time: give Unix seconds or an ISO date ` +
          "such as 2015-01-01 or 2015-01-01T12:00:00Z (no zone: UTC)",
      });
    }
  },
);

/**
 * A global time cut: test from `test_from` (a time) or the latest `test` fraction of rows;
 * dev from `dev_from` or the latest `dev` fraction before the test cut (neither: no dev).
 * Given neither of a pair, `test` is 0.1 and `dev` 0.1 (see SplitSchema's preprocess).
 */
const TemporalSplitSchema = z.strictObject({
  method: z.literal("temporal"),
  test: z.number().gt(0).lt(1).nullable().default(null),
  test_from: Time,
  dev: z.number().min(0).lt(1).nullable().default(null),
  dev_from: Time,
  /** the split draws nothing; the generator of the steps after it (sample, model init) */
  rng,
}).superRefine((split, ctx) => {
  const both = (a: string, b: string) =>
    ctx.addIssue({
      code: "custom",
      path: [b],
      message: `give ${a} (a fraction of the rows) or ${b} (a time), not both`,
    });
  if (split.test !== null && split.test_from !== null) both("test", "test_from");
  if (split.dev !== null && split.dev_from !== null) both("dev", "dev_from");
  if (split.test === null && split.test_from === null) {
    ctx.addIssue({ code: "custom", path: ["test"], message: "give test or test_from" });
  }
  if (split.test !== null && split.dev !== null && split.test + split.dev >= 1) {
    ctx.addIssue({
      code: "custom",
      path: ["dev"],
      message: `test ${split.test} + dev ${split.dev} leave no training rows: ` +
        "their sum must be below 1",
    });
  }
  const testFrom = split.test_from === null ? undefined : parseTime(split.test_from);
  const devFrom = split.dev_from === null ? undefined : parseTime(split.dev_from);
  if (testFrom !== undefined && devFrom !== undefined && !(devFrom < testFrom)) {
    ctx.addIssue({
      code: "custom",
      path: ["dev_from"],
      message: `dev_from ${split.dev_from} must be before test_from ${split.test_from}`,
    });
  }
});

/** A temporal split given neither field of a pair gets the fraction: 0.1 of the rows. */
function temporalDefaults(value: Record<string, unknown>): Record<string, unknown> {
  return {
    ...("test" in value || "test_from" in value ? {} : { test: 0.1 }),
    ...("dev" in value || "dev_from" in value ? {} : { dev: 0.1 }),
    ...value,
  };
}

/** How ratings are divided into train, dev and test. */
export const SplitSchema = z.preprocess(
  (value) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    if (!("method" in value)) return { method: "per_user", ...value };
    return (value as { method: unknown }).method === "temporal"
      ? temporalDefaults(value as Record<string, unknown>)
      : value;
  },
  z.discriminatedUnion("method", [
    z.strictObject({
      /** each user's rows shuffled: `test` rows to test, `dev` rows to dev, the rest train */
      method: z.literal("per_user"),
      test: z.number().int().min(1).default(1),
      dev: z.number().int().min(0).default(1),
      /** `seeded`: the project's generator; `numpy`: pandas' sample(random_state=seed), exactly */
      rng,
    }),
    z.strictObject({
      /** a random fraction of all rows to test and to dev, the rest train */
      method: z.literal("fraction"),
      test: z.number().gt(0).lt(1).default(0.1),
      dev: z.number().min(0).lt(1).default(0.1),
      rng,
    }).superRefine((split, ctx) => {
      if (split.test + split.dev >= 1) {
        ctx.addIssue({
          code: "custom",
          path: ["dev"],
          message: `test ${split.test} + dev ${split.dev} leave no training rows: ` +
            "their sum must be below 1",
        });
      }
    }),
    z.strictObject({
      /**
       * items (score regression): those with a numeric score, a `sample_frac` sample, of
       * which `train` to train, then half the rest to dev and the remainder to test
       */
      method: z.literal("items"),
      sample_frac: z.number().gt(0).max(1).default(0.6),
      train: z.number().gt(0).lt(1).default(0.8),
      rng,
    }),
    z.strictObject({
      /**
       * per user, the latest `test` rows by timestamp to test and the `dev` rows before them
       * to dev (ties: the later row in the file counts as later); needs timestamps
       */
      method: z.literal("leave_last"),
      test: z.number().int().min(1).default(1),
      dev: z.number().int().min(0).default(1),
      /** the split draws nothing; the generator of the steps after it (sample, model init) */
      rng,
    }),
    TemporalSplitSchema,
    z.strictObject({
      /** k-fold cross-validation of rows, as Surprise's KFold (rng numpy: the same folds) */
      method: z.literal("kfold"),
      folds: z.number().int().min(2).default(5),
      rng,
    }),
  ]),
);

/** Optional subsets taken after the split: the study's SVD++ protocol. */
export const SampleSchema = z.strictObject({
  /** train on this fraction of the training rows (the study: 0.03), in sampled order */
  train_frac: z.number().gt(0).max(1).default(1),
  /** recommend to / score only the first N users of the test rows (the study: 5000) */
  test_users: z.number().int().min(1).nullable().default(null),
  /** the first N users of the dev rows (the study: 1000) */
  dev_users: z.number().int().min(1).nullable().default(null),
});

function checkMetricName(name: string, ctx: z.RefinementCtx) {
  if (isMetricName(name)) return;
  const known = metricNames();
  const hint = didYouMean(name.split("@")[0], known);
  ctx.addIssue({
    code: "custom",
    message: `unknown metric '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}; known: ${
      known.join(", ")
    }`,
  });
}

export const EvaluateSchema = z.strictObject({
  /** held-out parts to score, each against its own rows; null: test and dev (kfold: test) */
  on: z.array(z.enum(["test", "dev"])).min(1).nullable().default(null),
  /**
   * metric names; ranking ones at model.k or a cutoff of their own (`ndcg@5`), rating ones
   * (rmse, mae, r2) on the held-out ratings. null: every metric the model supports.
   */
  metrics: z.array(z.string().superRefine(checkMetricName)).min(1).nullable().default(null),
  /**
   * resamples of the 95% bootstrap confidence intervals (users for ranking metrics, held-out
   * rows for rating metrics); 0: none
   */
  bootstrap: z.number().int().min(0).default(DEFAULT_RESAMPLES),
});

/** The longest folder name file systems accept (NAME_MAX); the name is ASCII, a byte a char. */
export const MAX_NAME_BYTES = 255;

/** The spec schema with the models registered at import; validate with `experimentSchema()`. */
const ExperimentSchema = z.strictObject({
  /** names the results folder: results/<name>/<run id>/ */
  name: z.string().regex(
    /^[a-z0-9][a-z0-9_.-]*$/,
    "use lower-case letters, digits, '-', '_' or '.'",
  ).max(
    MAX_NAME_BYTES,
    `at most ${MAX_NAME_BYTES} characters: it is a folder name (results/<name>/), ` +
      "and file systems allow 255 bytes",
  ),
  description: z.string().default(""),
  seed: z.number().int().nonnegative().default(42),
  data: DataSchema.prefault({}),
  split: SplitSchema.prefault({}),
  sample: SampleSchema.prefault({}),
  model: modelSchemas(),
  evaluate: EvaluateSchema.prefault({}),
  /** trials over fields of this spec, run by `deno task sweep` (ignored by `run`) */
  sweep: SweepSchema.nullable().default(null),
});

/**
 * A ranking metric cannot look deeper than the lists are long: `ndcg@20` on top-10 lists
 * would silently score 10 items as if they were 20 (the evaluate step refuses it, but only
 * after training). Checked here, so the spec is refused before any work.
 */
function checkCutoffs(
  spec: { model: { type: string; k?: number }; evaluate: { metrics: string[] | null } },
  ctx: z.RefinementCtx,
) {
  const k = spec.model.k;
  if (k === undefined || !spec.evaluate.metrics) return;
  spec.evaluate.metrics.forEach((name, index) => {
    const cutoff = Number(name.split("@")[1]);
    if (cutoff > k) {
      ctx.addIssue({
        code: "custom",
        path: ["evaluate", "metrics", index],
        message: `'${name}' cuts at ${cutoff}, deeper than the lists of model.k ${k}: ` +
          `use ${name.split("@")[0]}@${k} or less, or raise model.k to ${cutoff}`,
      });
    }
  });
}

/** Splits that order interactions by time. */
const TIMED_SPLITS: readonly string[] = ["leave_last", "temporal"];

/**
 * The MyAnimeList rating files (users-score-2023.csv, final_animedataset.csv) carry no
 * time of rating: a split by time cannot be made from them. Refused before any work.
 */
function checkTimestamps(
  spec: { data: { source: string }; split: { method: string } },
  ctx: z.RefinementCtx,
) {
  if (spec.data.source !== "mal" || !TIMED_SPLITS.includes(spec.split.method)) return;
  ctx.addIssue({
    code: "custom",
    path: ["split", "method"],
    message: `${spec.split.method} orders each interaction by its time, and the MyAnimeList ` +
      "rating files (users-score-2023.csv, final_animedataset.csv) have no timestamps: use " +
      "data.source movielens, or a split without time (per_user, fraction, kfold)",
  });
}

/** The base schema with the registry's models, and the checks across fields. */
function buildSchema(model: ReturnType<typeof modelSchemas>) {
  return ExperimentSchema.extend({ model }).superRefine((spec, ctx) => {
    checkCutoffs(spec, ctx);
    checkTimestamps(spec, ctx);
  });
}

let cached:
  | { model: ReturnType<typeof modelSchemas>; schema: ReturnType<typeof buildSchema> }
  | undefined;

/** The spec schema, its `model` following the model registry (rebuilt after `registerModel`). */
export function experimentSchema(): ReturnType<typeof buildSchema> {
  const model = modelSchemas();
  if (cached?.model !== model) cached = { model, schema: buildSchema(model) };
  return cached.schema;
}

/** A spec as written by a user (defaults may be omitted). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
/** A spec after validation, with every default filled in. */
export type Experiment = z.output<typeof ExperimentSchema>;
