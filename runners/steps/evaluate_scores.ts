import { evaluateRating } from "../../metrics/evaluate_rating.ts";
import type { StepKind } from "./step.ts";

/**
 * Score regression metrics on dev and test, plus `baseline_rmse`: the RMSE of predicting
 * the training mean, the floor a text model must beat. Test predictions are kept as the
 * study wrote them (`anime_id, score, pred_score`).
 */
export const evaluateScoresStep: StepKind<{ metrics: string[] }> = {
  kind: "evaluate_scores",
  modules: [import.meta.url],
  describe: (p) => `${p.metrics.join(", ")}, baseline_rmse on dev and test`,
  run(params, inputs) {
    const score = inputs.clean.tables.clean_items.score as Float32Array;
    const animeId = inputs.clean.tables.clean_items.anime_id as Int32Array;
    const rows = (part: string) => inputs.split.tables[part].row as Int32Array;
    const train = rows("train");
    let mean = 0;
    for (const i of train) mean += score[i];
    mean /= train.length;
    const metrics: Record<string, Record<string, number>> = {};
    for (const part of ["test", "dev"]) {
      const truth = Float64Array.from(rows(part), (i) => score[i]);
      const pred = inputs.head.tables[part].pred as Float64Array;
      metrics[part] = {
        ...evaluateRating(pred, truth, params.metrics),
        baseline_rmse:
          evaluateRating(new Float64Array(truth.length).fill(mean), truth, ["rmse"]).rmse,
      };
    }
    const test = rows("test");
    return Promise.resolve({
      tables: {
        predictions: {
          anime_id: test.map((i) => animeId[i]),
          score: Float64Array.from(test, (i) => score[i]),
          pred_score: inputs.head.tables.test.pred,
        },
      },
      meta: { metrics, train_mean: mean },
    });
  },
};
