import { z } from "zod";
import { isMetricName, recommendationMetricNames } from "../../metrics/registry.ts";
import { didYouMean } from "../errors.ts";
import { modelSchemas } from "../../models/registry.ts";

/** Where the ratings come from: the MAL Kaggle files (or the embedded generator), or MovieLens. */
export const DataSchema = z.strictObject({
  source: z.enum(["mal", "movielens"]).default("mal"),
  /** folder holding the three Kaggle CSV files; null uses the embedded generated dataset */
  dir: z.string().min(1).nullable().default(null),
  /** a MovieLens `u.data` or `ratings.csv` file (source: movielens) */
  path: z.string().min(1).nullable().default(null),
  /** scale of the embedded dataset when `dir` is null */
  scale: z.enum(["tiny", "default", "full"]).default("default"),
  /** seed of the embedded dataset generator (not the experiment seed: the data stays put) */
  generator_seed: z.number().int().nonnegative().default(2023),
  /** which rating files to use, stacked in this order as the study did */
  files: z.array(z.enum(["ratings2018", "ratings2023"])).min(1).default([
    "ratings2018",
    "ratings2023",
  ]),
  clean: z.strictObject({
    /** keep synopses whose length (code points) lies in this inclusive range */
    synopsis_min: z.number().int().nonnegative().default(30),
    synopsis_max: z.number().int().positive().default(2000),
    /** drop a (user, anime) pair rated in both files, keeping the 2023 rating */
    dedupe: z.boolean().default(false),
    min_user_ratings: z.number().int().min(1).default(1),
    min_item_ratings: z.number().int().min(1).default(1),
  }).prefault({}),
});

/** How ratings are divided into train, dev and test. */
export const SplitSchema = z.strictObject({
  method: z.enum(["per_user"]).default("per_user"),
  /** rows per user held out for test, then for dev; the rest is training */
  test: z.number().int().min(1).default(1),
  dev: z.number().int().min(0).default(1),
  /** `seeded`: the project's generator; `numpy`: pandas' sample(random_state=seed), exactly */
  rng: z.enum(["seeded", "numpy"]).default("seeded"),
});

function checkMetricName(name: string, ctx: z.RefinementCtx) {
  if (isMetricName(name) && recommendationMetricNames.includes(name.split("@")[0])) return;
  const hint = didYouMean(name.split("@")[0], recommendationMetricNames);
  ctx.addIssue({
    code: "custom",
    message: `unknown metric '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}; known: ${
      recommendationMetricNames.join(", ")
    }`,
  });
}

export const EvaluateSchema = z.strictObject({
  /** which held-out parts to recommend for and score; each is scored against its own rows */
  on: z.array(z.enum(["test", "dev"])).min(1).default(["test", "dev"]),
  /** metric names, each evaluated at model.k, or at a cutoff of its own: `ndcg@5` */
  metrics: z.array(z.string().superRefine(checkMetricName)).min(1).default([
    "precision",
    "recall",
    "ndcg",
    "hit_rate",
    "mrr",
    "coverage",
    "popularity_percentile",
  ]),
});

export const ExperimentSchema = z.strictObject({
  /** names the results folder: results/<name>/<run id>/ */
  name: z.string().regex(
    /^[a-z0-9][a-z0-9_.-]*$/,
    "use lower-case letters, digits, '-', '_' or '.'",
  ),
  description: z.string().default(""),
  seed: z.number().int().nonnegative().default(42),
  data: DataSchema.prefault({}),
  split: SplitSchema.prefault({}),
  model: modelSchemas,
  evaluate: EvaluateSchema.prefault({}),
});

/** A spec as written by a user (defaults may be omitted). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
/** A spec after validation, with every default filled in. */
export type Experiment = z.output<typeof ExperimentSchema>;
