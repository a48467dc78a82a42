import { z } from "zod";
import { isMetricName, metricNames } from "../../metrics/registry.ts";
import { modelSchemas } from "../../models/registry.ts";
import { didYouMean } from "../errors.ts";
import { SweepSchema } from "../sweep/schema.ts";
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

/** How ratings are divided into train, dev and test. */
export const SplitSchema = z.preprocess(
  (value) =>
    value && typeof value === "object" && !("method" in value)
      ? { method: "per_user", ...value }
      : value,
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

/** The base schema with the registry's models, and the checks across fields. */
function buildSchema(model: ReturnType<typeof modelSchemas>) {
  return ExperimentSchema.extend({ model }).superRefine(checkCutoffs);
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
