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
    return { tables: { params: table }, meta: { type: params.type } };
  },
};
