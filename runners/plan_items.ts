import { join, resolve } from "node:path";
import { ratingMetricNames } from "../metrics/registry.ts";
import type { ItemScoreSpec } from "../models/registry.ts";
import { textRidge } from "../models/text_ridge/mod.ts";
import { UserError } from "./errors.ts";
import type { Experiment } from "./spec/schema.ts";
import { embedStep } from "./steps/embed.ts";
import { finetuneStep } from "./steps/finetune.ts";
import { lowerStatesStep } from "./steps/lower_states.ts";
import { evaluateScoresStep } from "./steps/evaluate_scores.ts";
import { fitRidgeStep } from "./steps/fit_ridge.ts";
import { splitStep } from "./steps/split.ts";
import type { PlannedStep } from "./steps/step.ts";
import { textFeaturesStep } from "./steps/text_features.ts";
import { tinyBertStep } from "./steps/tiny_bert.ts";
import { trainHeadStep } from "./steps/train_head.ts";

type BertSpec = Extract<ItemScoreSpec, { type: "bert" }>;
type TextRidgeSpec = Extract<ItemScoreSpec, { type: "text_ridge" }>;

/**
 * Score regression from synopses after the data steps: the item split, the model's own
 * steps (BERT: encoder, embeddings, head; text ridge: TF-IDF features, ridge), and the
 * metrics. Each model's last step hands dev and test predictions to `evaluate`.
 */
export function planItems(spec: Experiment, model: ItemScoreSpec, steps: PlannedStep[]): void {
  if (spec.split.method !== "items") {
    throw new UserError(`model ${model.type} regresses anime scores: use split.method items`, {
      path: "split.method",
    });
  }
  if (spec.data.source !== "mal") {
    throw new UserError(`model ${model.type} needs the MAL anime file (synopses)`, {
      path: "data.source",
    });
  }
  const metrics = spec.evaluate.metrics ?? ["rmse", "mae", "r2"];
  const notRating = metrics.filter((m) => !ratingMetricNames().includes(m));
  if (notRating.length) {
    throw new UserError(`score regression has rating metrics only, not ${notRating.join(", ")}`, {
      path: "evaluate.metrics",
    });
  }
  steps.push({
    name: "split",
    kind: splitStep,
    params: { ...spec.split, seed: spec.seed },
    inputs: { clean: "clean" },
    rng: spec.split.rng,
    seed: spec.seed,
  });
  const predictions = model.type === "bert"
    ? planBert(spec, model, steps)
    : planTextRidge(model, steps);
  steps.push({
    name: "evaluate",
    kind: evaluateScoresStep,
    params: { metrics },
    inputs: { clean: "clean", split: "split", head: predictions },
  });
}

/** Encoder (generated, or the user's folder whose files enter the fingerprint), embeddings, head. */
function planBert(spec: Experiment, model: BertSpec, steps: PlannedStep[]): string {
  const embedInputs: Record<string, string> = { clean: "clean", split: "split" };
  let rawFiles: string[] | undefined;
  if (model.model_dir === null) {
    steps.push({
      name: "tiny_bert",
      kind: tinyBertStep,
      params: { seed: spec.seed, max_vocab: 4000 },
      inputs: { clean: "clean", split: "split" },
    });
    embedInputs.model = "tiny_bert";
  } else {
    rawFiles = modelFolderFiles(model.model_dir);
  }
  const modelDir = model.model_dir === null ? {} : { model_dir: resolve(model.model_dir) };
  if (model.finetune === false) {
    steps.push({
      name: "embed",
      kind: embedStep,
      params: { ...modelDir, encoder: model.encoder },
      inputs: embedInputs,
      rawFiles,
      rawFilesField: "model.model_dir",
    });
    steps.push({
      name: "train_head",
      kind: trainHeadStep,
      params: { head: model.head },
      inputs: { clean: "clean", split: "split", embed: "embed" },
    });
    return "train_head";
  }
  const { layers } = model.finetune;
  steps.push({
    name: "lower_states",
    kind: lowerStatesStep,
    params: {
      ...modelDir,
      encoder: model.encoder,
      trained_layers: layers === "all" ? null : layers,
    },
    inputs: embedInputs,
    rawFiles,
    rawFilesField: "model.model_dir",
  });
  steps.push({
    name: "finetune",
    kind: finetuneStep,
    params: { ...modelDir, encoder: model.encoder, finetune: model.finetune },
    inputs: { ...embedInputs, states: "lower_states" },
    rawFiles,
    rawFilesField: "model.model_dir",
  });
  return "finetune";
}

/** TF-IDF features (the catalogue columns come from the load step), then the ridge path. */
function planTextRidge(model: TextRidgeSpec, steps: PlannedStep[]): string {
  const { features, min_df, max_features, sublinear_tf, lambdas, threads } = model;
  steps.push({
    name: "text_features",
    kind: textFeaturesStep,
    modules: textRidge.modules,
    params: { features, min_df, max_features, sublinear_tf },
    inputs: { load: "load", clean: "clean", split: "split" },
  });
  steps.push({
    name: "fit_ridge",
    kind: fitRidgeStep,
    modules: textRidge.modules,
    params: { lambdas, threads },
    inputs: { clean: "clean", split: "split", features: "text_features" },
  });
  return "fit_ridge";
}

/** Every file of a model folder (their contents are the model's identity in the cache). */
function modelFolderFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  try {
    walk(resolve(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`model folder not found: ${dir}`, { path: "model.model_dir" });
    }
    throw error;
  }
  return files.sort();
}
