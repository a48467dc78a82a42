import { join, resolve } from "node:path";
import { ratingMetricNames } from "../metrics/registry.ts";
import type { ModelSpec } from "../models/registry.ts";
import { UserError } from "./errors.ts";
import type { Experiment } from "./spec/schema.ts";
import { embedStep } from "./steps/embed.ts";
import { finetuneStep } from "./steps/finetune.ts";
import { lowerStatesStep } from "./steps/lower_states.ts";
import { evaluateScoresStep } from "./steps/evaluate_scores.ts";
import { splitStep } from "./steps/split.ts";
import type { PlannedStep } from "./steps/step.ts";
import { tinyBertStep } from "./steps/tiny_bert.ts";
import { trainHeadStep } from "./steps/train_head.ts";

type BertSpec = Extract<ModelSpec, { type: "bert" }>;

/**
 * Score regression from synopses after the data steps: the item split, the encoder
 * (generated, or the user's folder whose files enter the fingerprint), embeddings, the
 * head, and the metrics.
 */
export function planItems(spec: Experiment, model: BertSpec, steps: PlannedStep[]): void {
  if (spec.split.method !== "items") {
    throw new UserError(`model bert regresses anime scores: use split.method items`, {
      path: "split.method",
    });
  }
  if (spec.data.source !== "mal") {
    throw new UserError("model bert needs the MAL anime file (synopses)", { path: "data.source" });
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
  let predictions = "train_head";
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
  } else {
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
    predictions = "finetune";
  }
  steps.push({
    name: "evaluate",
    kind: evaluateScoresStep,
    params: { metrics },
    inputs: { clean: "clean", split: "split", head: predictions },
  });
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
