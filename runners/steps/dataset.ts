import type { StepKind } from "./step.ts";

export interface DatasetParams {
  scale: "tiny" | "default" | "full";
  seed: number;
}

/** Generates the embedded MyAnimeList-shaped dataset: the three Kaggle CSV files. */
export const datasetStep: StepKind<DatasetParams> = {
  kind: "dataset",
  modules: [import.meta.url],
  describe: (p) => `embedded MAL data, scale ${p.scale}, seed ${p.seed}`,
  async run(params, _inputs, ctx) {
    const { generateMalDataset } = await import("../../data/mal/generate.ts");
    const summary = await generateMalDataset(ctx.filesDir(), {
      scale: params.scale,
      seed: params.seed,
      onProgress: (done, total) => ctx.progress(done, total, "ratings"),
    });
    // File paths point into the scratch folder, which is renamed on commit: keep names only.
    const { files: _paths, ...counts } = summary;
    return { tables: {}, meta: { ...counts, files: Object.keys(summary.files) } };
  },
};
