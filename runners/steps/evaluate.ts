import { evaluateRanking } from "../../metrics/evaluate_ranking.ts";
import { evaluateRating } from "../../metrics/evaluate_rating.ts";
import { ratingMetricNames } from "../../metrics/registry.ts";
// fingerprint: dispatch (the planner adds the model's own modules to this step)
import { models } from "../../models/registry.ts";
import type { TrainData } from "../../models/model.ts";
import type { Artifact, Table } from "../table.ts";
import type { StepKind } from "./step.ts";
import { itemsByUser, seenRows, trainDataOf } from "./train_data.ts";

export interface EvaluateParams {
  type: string;
  config: Record<string, unknown>;
  metrics: string[];
  k: number;
  /** the part of the split whose rows are the truth */
  target: "test" | "dev";
}

/**
 * Metrics on one held-out part: ranking metrics of the recommended lists against the
 * user's held-out items (per user, then averaged), and rating metrics of the model's
 * clipped predictions of the held-out ratings.
 */
export const evaluateStep: StepKind<EvaluateParams> = {
  kind: "evaluate",
  modules: [import.meta.url],
  describe: (p) => `${p.metrics.join(", ")} on ${p.target}`,
  run(params, inputs) {
    const data = trainDataOf(inputs.clean, inputs.split);
    const rows = inputs.split.tables[params.target].row as Int32Array;
    const rating = ratingMetricNames();
    const ratingNames = params.metrics.filter((m) => rating.includes(m));
    const rankingNames = params.metrics.filter((m) => !rating.includes(m));
    const tables: Record<string, Table> = {};
    const mean: Record<string, number> = {};
    let users = 0;
    if (rankingNames.length) {
      const ranking = rankingMetrics(
        data,
        rows,
        seenRows(inputs.split),
        inputs.recommend,
        rankingNames,
        params.k,
      );
      Object.assign(mean, ranking.mean);
      tables.per_user = ranking.perUser;
      tables.catalogue = ranking.catalogue;
      users = ranking.users;
    }
    if (ratingNames.length) {
      const model = models[params.type];
      const user = rows.map((r) => data.ratings.user[r]);
      const item = rows.map((r) => data.ratings.item[r]);
      const truth = Float64Array.from(rows, (r) => data.ratings.rating[r]);
      const predicted = model.predict!(params.config, inputs.train.tables.params, data, user, item);
      Object.assign(mean, evaluateRating(predicted, truth, ratingNames));
      tables.per_row = { row: rows, predicted };
    }
    return Promise.resolve({
      tables,
      meta: { metrics: { [params.target]: mean }, users, rows: rows.length },
    });
  },
};

function rankingMetrics(
  data: TrainData,
  rows: Int32Array,
  /** all training rows: the popularity the beyond-accuracy metrics measure against */
  seen: Int32Array,
  recommend: Artifact,
  metrics: string[],
  k: number,
) {
  const users = recommend.tables.users.user as Int32Array;
  const lists = recommend.tables.lists.item as Int32Array;
  const byUser = itemsByUser(data, rows);
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
  for (let i = 0; i < seen.length; i++) {
    popularity[data.ratings.item[seen[i]]]++;
    trainUser[data.ratings.user[seen[i]]] = 1;
  }
  let trainUsers = 0;
  for (let u = 0; u < data.nUsers; u++) trainUsers += trainUser[u];
  const result = evaluateRanking(lists, k, { offsets, values }, {
    metrics,
    popularity,
    catalogueSize: data.nItems,
    trainUsers,
  });
  const perUser: Table = { user_id: recommend.tables.users.user_id };
  for (const [name, column] of Object.entries(result.perUser)) perUser[name] = column;
  // The catalogue's training popularity and how often each item was recommended: what a
  // report needs to draw popularity bias without the cache.
  const recommended = new Int32Array(data.nItems);
  for (let i = 0; i < lists.length; i++) if (lists[i] >= 0) recommended[lists[i]]++;
  const catalogue: Table = { anime_id: data.ratings.itemIds, train_count: popularity, recommended };
  return { mean: result.mean, perUser, users: result.users, catalogue };
}
