// fingerprint: dispatch (the planner adds the model's own modules to this step)
import { models } from "../../models/registry.ts";
import type { StepKind } from "./step.ts";
import { trainDataOf } from "./train_data.ts";

export interface TrainParams {
  type: string;
  /** the model's hyperparameters (recommendation-list fields excluded) */
  config: Record<string, unknown>;
  seed: number;
}

/** Fits a model on the training rows. */
export const trainStep: StepKind<TrainParams> = {
  kind: "train",
  modules: [import.meta.url],
  describe: (p) => `${p.type} ${JSON.stringify(p.config)}`,
  async run(params, inputs, ctx) {
    const model = models[params.type];
    const data = trainDataOf(inputs.clean, inputs.split);
    const table = await model.fit(params.config, data, ctx);
    // Per-epoch columns are learning curves: small, and wanted in run.json without loading
    // the parameters, so they go to the meta.
    const curves: Record<string, number[]> = {};
    for (const [name, column] of Object.entries(table)) {
      if (name.startsWith("epoch_") && !Array.isArray(column)) {
        curves[name.slice("epoch_".length)] = Array.from(
          column,
          (v) => (Number.isNaN(v) ? null : v) as number,
        );
      }
    }
    return {
      tables: { params: table },
      meta: {
        type: params.type,
        train_rows: data.train.length,
        ...(Object.keys(curves).length ? { curves } : {}),
      },
    };
  },
};
