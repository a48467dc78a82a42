import { join } from "node:path";
import { MAL_FILES } from "../data/mal/columns.ts";
import type { Experiment } from "./spec/schema.ts";
import { cleanStep } from "./steps/clean.ts";
import { datasetStep } from "./steps/dataset.ts";
import { loadStep } from "./steps/load.ts";
import { loadMovieLensStep } from "./steps/load_movielens.ts";
import type { PlannedStep } from "./steps/step.ts";

/** dataset (embedded) -> load -> clean, or load_movielens -> clean. */
export function planData(spec: Experiment, steps: PlannedStep[]) {
  const { data } = spec;
  const scale = data.rating_scale ?? (data.source === "mal" ? [1, 10] : [0.5, 5]);
  if (data.source === "movielens") {
    steps.push({
      name: "load",
      kind: loadMovieLensStep,
      params: { path: data.path, scale },
      inputs: {},
      rawFiles: [data.path!],
      rawFilesField: "data.path",
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
      params: {
        source: data.source,
        files: data.files,
        scale,
        ...(data.dir ? { dir: data.dir } : {}),
      },
      inputs: data.dir === null ? { dataset: "dataset" } : {},
      rawFiles: data.dir === null
        ? undefined
        : [MAL_FILES.items, ...data.files.map((f) => MAL_FILES[f])].map((f) => join(data.dir!, f)),
      rawFilesField: "data.dir",
    });
  }
  steps.push({
    name: "clean",
    kind: cleanStep,
    params: { ...data.clean, source: data.source, files: data.files, scale },
    inputs: { load: "load" },
  });
}
