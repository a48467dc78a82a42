import { join } from "node:path";
import { MAL_FILES } from "../data/mal/columns.ts";
import { ratingMetricNames, recommendationMetricNames } from "../metrics/registry.ts";
import { models } from "../models/registry.ts";
import { recommenderFieldNames } from "../models/recommender_fields.ts";
import { UserError } from "./errors.ts";
import type { Experiment } from "./spec/schema.ts";
import { cleanStep } from "./steps/clean.ts";
import { datasetStep } from "./steps/dataset.ts";
import { evaluateStep } from "./steps/evaluate.ts";
import { foldStep } from "./steps/fold.ts";
import { loadStep } from "./steps/load.ts";
import { loadMovieLensStep } from "./steps/load_movielens.ts";
import { recommendStep } from "./steps/recommend.ts";
import { sampleStep } from "./steps/sample.ts";
import { splitStep } from "./steps/split.ts";
import type { PlannedStep } from "./steps/step.ts";
import { trainStep } from "./steps/train.ts";

/** The default ranking metrics, when a spec names none. */
const DEFAULT_RANKING = [
  "precision",
  "recall",
  "ndcg",
  "hit_rate",
  "mrr",
  "coverage",
  "popularity_percentile",
];
const DEFAULT_RATING = ["rmse", "mae"];

/**
 * Turns a validated spec into its DAG of steps, inputs first. Each step gets only the
 * parameters it depends on, so a change re-runs just the steps downstream of it.
 */
export function planExperiment(spec: Experiment): PlannedStep[] {
  const steps: PlannedStep[] = [];
  planData(spec, steps);
  const parts = planSplit(spec, steps);
  const { type, k, exclude_seen, candidates } = spec.model;
  const config = modelConfig(spec.model as Record<string, unknown>);
  const model = models[type];
  const metrics = metricsOf(spec);
  const ranking = metrics.filter((m) => !ratingMetricNames.includes(m));
  const rating = metrics.filter((m) => ratingMetricNames.includes(m));
  if (ranking.length && !model.recommend) {
    throw new UserError(`model ${type} does not recommend; ranking metrics need one`, {
      path: "evaluate.metrics",
    });
  }
  if (rating.length && !model.predict) {
    throw new UserError(`model ${type} does not predict ratings: drop ${rating.join(", ")}`, {
      path: "evaluate.metrics",
    });
  }
  const rng = spec.split.rng;
  for (const { suffix, split } of parts) {
    const inputs = { clean: "clean", split };
    steps.push({
      name: `train${suffix}`,
      kind: trainStep,
      params: { type, config, seed: spec.seed },
      inputs,
      rng,
      seed: spec.seed,
    });
    for (const target of targetsOf(spec)) {
      const tag = `${target === "test" ? "" : `_${target}`}${suffix}`;
      if (ranking.length) {
        steps.push({
          name: `recommend${tag}`,
          kind: recommendStep,
          params: { type, config, k, exclude_seen, candidates, target },
          inputs: { ...inputs, train: `train${suffix}` },
          rng,
          seed: spec.seed,
        });
      }
      steps.push({
        name: `evaluate${tag}`,
        kind: evaluateStep,
        params: { type, config, metrics, k, target },
        inputs: {
          ...inputs,
          ...(rating.length ? { train: `train${suffix}` } : {}),
          ...(ranking.length ? { recommend: `recommend${tag}` } : {}),
        },
      });
    }
  }
  return steps;
}

/** dataset (embedded) -> load -> clean, or load_movielens -> clean. */
function planData(spec: Experiment, steps: PlannedStep[]) {
  const { data } = spec;
  const scale = data.rating_scale ?? (data.source === "mal" ? [1, 10] : [0.5, 5]);
  if (data.source === "movielens") {
    steps.push({
      name: "load",
      kind: loadMovieLensStep,
      params: { path: data.path, scale },
      inputs: {},
      rawFiles: [data.path!],
    });
  } else {
    if (data.dir === null) {
      steps.push({
        name: "dataset",
        kind: datasetStep,
        params: { scale: data.scale, seed: data.generator_seed },
        inputs: {},
      });
    }
    steps.push({
      name: "load",
      kind: loadStep,
      params: { source: data.source, files: data.files, ...(data.dir ? { dir: data.dir } : {}) },
      inputs: data.dir === null ? { dataset: "dataset" } : {},
      rawFiles: data.dir === null
        ? undefined
        : [MAL_FILES.items, ...data.files.map((f) => MAL_FILES[f])].map((f) => join(data.dir!, f)),
    });
  }
  steps.push({
    name: "clean",
    kind: cleanStep,
    params: { ...data.clean, source: data.source, files: data.files, scale },
    inputs: { load: "load" },
  });
}

/** split (+ sample) or split + one fold step per fold; returns the split-like step per part. */
function planSplit(
  spec: Experiment,
  steps: PlannedStep[],
): Array<{ suffix: string; split: string }> {
  const { split, sample } = spec;
  steps.push({
    name: "split",
    kind: splitStep,
    params: { ...split, seed: spec.seed },
    inputs: { clean: "clean" },
    rng: split.rng,
    seed: spec.seed,
  });
  if (split.method === "kfold") {
    if (sample.train_frac < 1 || sample.test_users || sample.dev_users) {
      throw new UserError("sampling is not combined with k-fold splits", { path: "sample" });
    }
    return Array.from({ length: split.folds }, (_, f) => {
      const name = `fold${f + 1}`;
      steps.push({
        name,
        kind: foldStep,
        params: { fold: f + 1, folds: split.folds },
        inputs: { split: "split" },
      });
      return { suffix: `_fold${f + 1}`, split: name };
    });
  }
  if (sample.train_frac < 1 || sample.test_users || sample.dev_users) {
    steps.push({
      name: "sample",
      kind: sampleStep,
      params: { ...sample, rng: split.rng, seed: spec.seed },
      inputs: { clean: "clean", split: "split" },
      rng: split.rng,
      seed: spec.seed,
    });
    return [{ suffix: "", split: "sample" }];
  }
  return [{ suffix: "", split: "split" }];
}

/** The held-out parts to score: as given, else test and dev (k-fold has no dev). */
function targetsOf(spec: Experiment): Array<"test" | "dev"> {
  if (spec.evaluate.on) {
    if (spec.split.method === "kfold" && spec.evaluate.on.includes("dev")) {
      throw new UserError("k-fold splits have no dev rows", { path: "evaluate.on" });
    }
    return spec.evaluate.on;
  }
  return spec.split.method === "kfold" ? ["test"] : ["test", "dev"];
}

/** The metrics as given, else every metric the model supports. */
function metricsOf(spec: Experiment): string[] {
  if (spec.evaluate.metrics) return spec.evaluate.metrics;
  const model = models[spec.model.type];
  return [
    ...(model.recommend ? DEFAULT_RANKING : []),
    ...(model.predict ? DEFAULT_RATING : []),
  ].filter((m) => recommendationMetricNames.includes(m) || ratingMetricNames.includes(m));
}

/** The model's own hyperparameters: the spec's model block minus the list-shaping fields. */
function modelConfig(model: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    if (!recommenderFieldNames.includes(key) && value !== undefined) config[key] = value;
  }
  return config;
}
