import { join } from "node:path";
import { recommenderFieldNames } from "../models/recommender_fields.ts";
import type { Experiment } from "./spec/schema.ts";
import { cleanStep } from "./steps/clean.ts";
import { datasetStep } from "./steps/dataset.ts";
import { evaluateStep } from "./steps/evaluate.ts";
import { loadStep } from "./steps/load.ts";
import { recommendStep } from "./steps/recommend.ts";
import { splitStep } from "./steps/split.ts";
import type { PlannedStep } from "./steps/step.ts";
import { trainStep } from "./steps/train.ts";

/** The Kaggle files a MAL load reads, by role. */
export const MAL_FILE_NAMES = {
  anime: "anime-dataset-2023.csv",
  ratings2023: "users-score-2023.csv",
  ratings2018: "final_animedataset.csv",
} as const;

/**
 * Turns a validated spec into its DAG of steps, in an order where inputs come first.
 * Each step gets only the parameters it depends on, so a change re-runs just the steps
 * downstream of it.
 */
export function planExperiment(spec: Experiment): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const { data } = spec;
  if (data.dir === null) {
    steps.push({
      name: "dataset",
      kind: datasetStep,
      params: { scale: data.scale, seed: data.generator_seed },
      inputs: {},
    });
  }
  const rawFiles = data.dir === null ? undefined : [
    join(data.dir, MAL_FILE_NAMES.anime),
    ...data.files.map((f) => join(data.dir!, MAL_FILE_NAMES[f])),
  ];
  steps.push({
    name: "load",
    kind: loadStep,
    params: { source: data.source, files: data.files, ...(data.dir ? { dir: data.dir } : {}) },
    inputs: data.dir === null ? { dataset: "dataset" } : {},
    rawFiles,
  });
  steps.push({
    name: "clean",
    kind: cleanStep,
    params: { ...data.clean, files: data.files },
    inputs: { load: "load" },
  });
  steps.push({
    name: "split",
    kind: splitStep,
    params: { ...spec.split, seed: spec.seed },
    inputs: { clean: "clean" },
    rng: spec.split.rng,
    seed: spec.seed,
  });
  const { type, k, exclude_seen, candidates } = spec.model;
  const config = modelConfig(spec.model as Record<string, unknown>);
  steps.push({
    name: "train",
    kind: trainStep,
    params: { type, config, seed: spec.seed },
    inputs: { clean: "clean", split: "split" },
    rng: spec.split.rng,
    seed: spec.seed,
  });
  for (const target of spec.evaluate.on) {
    const suffix = target === "test" ? "" : `_${target}`;
    steps.push({
      name: `recommend${suffix}`,
      kind: recommendStep,
      params: { type, config, k, exclude_seen, candidates, target },
      inputs: { clean: "clean", split: "split", train: "train" },
      rng: spec.split.rng,
      seed: spec.seed,
    });
    steps.push({
      name: `evaluate${suffix}`,
      kind: evaluateStep,
      params: { metrics: spec.evaluate.metrics, k, target },
      inputs: { clean: "clean", split: "split", recommend: `recommend${suffix}` },
    });
  }
  return steps;
}

/** The model's own hyperparameters: the spec's model block minus the list-shaping fields. */
function modelConfig(model: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    if (!recommenderFieldNames.includes(key)) config[key] = value;
  }
  return config;
}
