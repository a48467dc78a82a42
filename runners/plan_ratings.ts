import {
  defaultRankingMetrics,
  defaultRatingMetrics,
  metricNeeds,
  ratingMetricNames,
} from "../metrics/registry.ts";
import { models, type RatingModelSpec } from "../models/registry.ts";
import { recommenderFieldNames } from "../models/recommender_fields.ts";
import { UserError } from "./errors.ts";
import type { Experiment } from "./spec/schema.ts";
import { evaluateStep } from "./steps/evaluate.ts";
import { foldStep } from "./steps/fold.ts";
import { recommendStep } from "./steps/recommend.ts";
import { sampleStep } from "./steps/sample.ts";
import { type SplitParams, splitStep } from "./steps/split.ts";
import type { PlannedStep } from "./steps/step.ts";
import { trainStep } from "./steps/train.ts";

/**
 * The rating-data pipeline after the data steps: split (+ sample, or folds), then per
 * part train, recommend and evaluate for each held-out part.
 */
export function planRatings(
  spec: Experiment,
  ratingModel: RatingModelSpec,
  steps: PlannedStep[],
): void {
  const parts = planSplit(spec, steps);
  const { type, k, exclude_seen, candidates } = ratingModel;
  const seen_from = ratingModel.seen_from ?? "train";
  const ties = ratingModel.ties ?? "item";
  const config = modelConfig(ratingModel);
  const model = models[type];
  const metrics = metricsOf(spec);
  const ratingNames = ratingMetricNames();
  const ranking = metrics.filter((m) => !ratingNames.includes(m));
  const rating = metrics.filter((m) => ratingNames.includes(m));
  if (ranking.length && !model.recommend) {
    throw new UserError(`model ${type} does not recommend; ranking metrics need one`, {
      path: "evaluate.metrics",
    });
  }
  if (ties !== "item" && !model.ties?.includes(ties)) {
    throw new UserError(`model ${type} breaks ties by item index only: drop ties ${ties}`, {
      path: "model.ties",
    });
  }
  checkMetricNeeds(spec, ranking);
  // Only metrics that need the excluded items (auc_topk) make evaluate depend on them.
  const excluded = ranking.some((m) => metricNeeds(m).includes("excluded_items"))
    ? { excluded: exclude_seen ? seen_from : "none" }
    : {};
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
      modules: model.modules,
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
          modules: model.modules,
          params: { type, config, k, exclude_seen, seen_from, candidates, ties, target },
          inputs: { ...inputs, train: `train${suffix}` },
          rng,
          seed: spec.seed,
        });
      }
      steps.push({
        name: `evaluate${tag}`,
        kind: evaluateStep,
        // evaluate predicts ratings with the model; ranking alone needs none of its code
        modules: rating.length ? model.modules : undefined,
        params: { type, config, metrics, k, target, ...excluded, ...bootstrapOf(spec) },
        inputs: {
          ...inputs,
          ...(rating.length ? { train: `train${suffix}` } : {}),
          ...(ranking.length ? { recommend: `recommend${tag}` } : {}),
        },
        // the bootstrap's draws: derived from the experiment seed and the step's name
        seed: spec.seed,
      });
    }
  }
}

/** split (+ sample) or split + one fold step per fold; returns the split-like step per part. */
function planSplit(
  spec: Experiment,
  steps: PlannedStep[],
): Array<{ suffix: string; split: string }> {
  const { split, sample } = spec;
  if (split.method === "items") {
    throw new UserError("split.method items is for score regression (model bert or text_ridge)", {
      path: "split.method",
    });
  }
  steps.push({
    name: "split",
    kind: splitStep,
    params: splitParams(spec),
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

/**
 * The split's parameters: a split by time draws nothing, so the seed and the generator (which
 * steer the later steps) stay out of its parameters and a new seed keeps it cached.
 */
function splitParams(spec: Experiment): SplitParams {
  const split = spec.split;
  if (split.method === "leave_last" || split.method === "temporal") {
    const { rng: _rng, ...timed } = split;
    return timed;
  }
  return { ...split, seed: spec.seed };
}

/** Metrics needing item features are refused for data without them, before any work. */
function checkMetricNeeds(spec: Experiment, ranking: string[]): void {
  if (spec.data.source !== "movielens") return;
  const index = ranking.findIndex((m) => metricNeeds(m).includes("item_features"));
  if (index < 0) return;
  const named = spec.evaluate.metrics?.indexOf(ranking[index]) ?? -1;
  throw new UserError(
    `${ranking[index]} needs item features (genres), and MovieLens ratings come without ` +
      "them: drop it, or use data.source mal (the anime file's Genres)",
    { path: named >= 0 ? `evaluate.metrics.${named}` : "evaluate.metrics" },
  );
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
    ...(model.recommend ? defaultRankingMetrics() : []),
    ...(model.predict ? defaultRatingMetrics() : []),
  ];
}

/** The model's own hyperparameters: the spec's model block minus the list-shaping fields. */
function modelConfig(model: RatingModelSpec): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    if (!recommenderFieldNames.includes(key) && value !== undefined) config[key] = value;
  }
  return config;
}

/**
 * The evaluate step's bootstrap parameters: resamples, and the experiment seed its draws
 * derive from (both change the intervals, so both enter the fingerprint); none when off.
 */
function bootstrapOf(spec: Experiment): { bootstrap?: number; seed?: number } {
  const resamples = spec.evaluate.bootstrap;
  return resamples > 0 ? { bootstrap: resamples, seed: spec.seed } : {};
}
