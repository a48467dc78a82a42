import { evaluateRanking } from "../../metrics/evaluate_ranking.ts";
import type { Table } from "../table.ts";
import type { StepKind } from "./step.ts";
import { itemsByUser, trainDataOf } from "./train_data.ts";

export interface EvaluateParams {
  metrics: string[];
  k: number;
  /** the part of the split whose items are the truth */
  target: "test" | "dev";
}

/** Ranking metrics per user and their means; truth = the user's target items. */
export const evaluateStep: StepKind<EvaluateParams> = {
  kind: "evaluate",
  modules: [import.meta.url],
  describe: (p) => `${p.metrics.join(", ")} @${p.k} on ${p.target}`,
  run(params, inputs) {
    const data = trainDataOf(inputs.clean, inputs.split);
    const users = inputs.recommend.tables.users.user as Int32Array;
    const lists = inputs.recommend.tables.lists.item as Int32Array;
    const byUser = itemsByUser(data, inputs.split.tables[params.target].row as Int32Array);
    // Truth rows in the order of the recommended users.
    const offsets = new Int32Array(users.length + 1);
    for (let r = 0; r < users.length; r++) {
      offsets[r + 1] = offsets[r] + byUser.offsets[users[r] + 1] - byUser.offsets[users[r]];
    }
    const values = new Int32Array(offsets[users.length]);
    for (let r = 0; r < users.length; r++) {
      values.set(
        byUser.values.subarray(byUser.offsets[users[r]], byUser.offsets[users[r] + 1]),
        offsets[r],
      );
    }
    const popularity = new Int32Array(data.nItems);
    const trainUser = new Uint8Array(data.nUsers);
    for (let i = 0; i < data.train.length; i++) {
      popularity[data.ratings.item[data.train[i]]]++;
      trainUser[data.ratings.user[data.train[i]]] = 1;
    }
    let trainUsers = 0;
    for (let u = 0; u < data.nUsers; u++) trainUsers += trainUser[u];
    const result = evaluateRanking(lists, params.k, { offsets, values }, {
      metrics: params.metrics,
      popularity,
      catalogueSize: data.nItems,
      trainUsers,
    });
    const perUser: Table = { user_id: inputs.recommend.tables.users.user_id };
    for (const [name, column] of Object.entries(result.perUser)) perUser[name] = column;
    return Promise.resolve({
      tables: { per_user: perUser },
      meta: { metrics: { [params.target]: result.mean }, users: result.users },
    });
  },
};
