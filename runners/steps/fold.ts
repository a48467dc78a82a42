import { kFold } from "../../data/split/kfold.ts";
import type { StepKind } from "./step.ts";
import { rowsArtifact } from "./split.ts";

/** One fold of a k-fold split: train and test rows (no dev), in Surprise's order. */
export const foldStep: StepKind<{ fold: number; folds: number }> = {
  kind: "fold",
  modules: [import.meta.url],
  describe: (p) => `fold ${p.fold} of ${p.folds}`,
  run(params, inputs) {
    const order = inputs.split.tables.order.row as Int32Array;
    const { train, test } = kFold(order, params.folds, params.fold - 1);
    return Promise.resolve(rowsArtifact(train, new Int32Array(0), test));
  },
};
