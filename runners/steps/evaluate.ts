import { evaluateRanking } from "../../metrics/evaluate_ranking.ts";
import { evaluateRating } from "../../metrics/evaluate_rating.ts";
import { metricNeeds, metricOfKind, ratingMetricNames } from "../../metrics/registry.ts";
// fingerprint: dispatch (the planner adds the model's own modules to this step)
import { models } from "../../models/registry.ts";
import type { TrainData } from "../../models/model.ts";
import type { SeenFrom } from "../../models/recommender_fields.ts";
import { fromPairs } from "../../data/item_features.ts";
import type { Csr } from "../../data/ratings.ts";
import { UserError } from "../errors.ts";
import type { Artifact, Table } from "../table.ts";
import { bootstrapMeans, type BootstrapOptions, type Interval } from "../uncertainty/bootstrap.ts";
import { ratingIntervals, type RowsByUser, rowsByUser } from "../uncertainty/rating_intervals.ts";
import type { StepKind } from "./step.ts";
import { itemsByUser, seenRows, seenRowsFrom, trainDataOf } from "./train_data.ts";

export interface EvaluateParams {
  type: string;
  config: Record<string, unknown>;
  metrics: string[];
  k: number;
  /** the part of the split whose rows are the truth */
  target: "test" | "dev";
  /**
   * the rows whose items the lists could not hold, as the recommend step excluded them
   * (`seen_from`, or none): set only when a metric needs them (auc_topk)
   */
  excluded?: SeenFrom | "none";
  /** resamples of the bootstrap confidence intervals; absent or 0: none */
  bootstrap?: number;
}

/**
 * Metrics on one held-out part: ranking metrics of the recommended lists against the
 * user's held-out items (per user, then averaged), and rating metrics of the model's
 * clipped predictions of the held-out ratings. With `bootstrap`, each metric's 95%
 * percentile interval: ranking metrics resample the evaluated users (their per-user
 * values), rating metrics the users of the held-out rows (with all their rows); metrics
 * over all lists at once (coverage) get none.
 */
export const evaluateStep: StepKind<EvaluateParams> = {
  kind: "evaluate",
  modules: [import.meta.url],
  describe: (p) => `${p.metrics.join(", ")} on ${p.target}`,
  run(params, inputs, ctx) {
    const data = trainDataOf(inputs.clean, inputs.split);
    const rows = inputs.split.tables[params.target].row as Int32Array;
    const rating = ratingMetricNames();
    const ratingNames = params.metrics.filter((m) => rating.includes(m));
    const rankingNames = params.metrics.filter((m) => !rating.includes(m));
    const tables: Record<string, Table> = {};
    const mean: Record<string, number> = {};
    const ci: Record<string, Interval> = {};
    const resampling: BootstrapOptions | undefined = params.bootstrap
      ? { resamples: params.bootstrap, seed: ctx.seed }
      : undefined;
    let users = 0;
    if (rankingNames.length) {
      const excluded = params.excluded === undefined
        ? undefined
        : params.excluded === "none"
        ? null
        : itemsByUser(data, seenRowsFrom(inputs.split, params.excluded));
      const ranking = rankingMetrics(
        data,
        rows,
        seenRows(inputs.split),
        inputs.recommend,
        rankingNames,
        params.k,
        { excluded, itemFeatures: itemFeaturesFor(rankingNames, inputs.clean, data.nItems) },
      );
      Object.assign(mean, ranking.mean);
      if (resampling) {
        const started = performance.now();
        Object.assign(ci, rankingIntervals(ranking.perUser, resampling));
        ctx.log(resamplingLine(resampling, `${ranking.users} users`, started));
      }
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
      if (resampling) {
        const started = performance.now();
        const groups = rowsByUser(user);
        Object.assign(ci, ratingIntervalsByUser(predicted, truth, groups, ratingNames, resampling));
        const units = `${groups.offsets.length - 1} users (${rows.length} held-out rows)`;
        ctx.log(resamplingLine(resampling, units, started));
      }
      tables.per_row = { row: rows, predicted };
    }
    const meta: Record<string, unknown> = {
      metrics: { [params.target]: mean },
      users,
      rows: rows.length,
    };
    if (resampling) meta.ci = { [params.target]: ci };
    return Promise.resolve({ tables, meta });
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
  extra: { excluded: Csr | null | undefined; itemFeatures: Csr | undefined },
) {
  const users = recommend.tables.users.user as Int32Array;
  const lists = recommend.tables.lists.item as Int32Array;
  // Truth (and excluded items) in the order of the recommended users.
  const truth = rowsOfUsers(itemsByUser(data, rows), users);
  const excluded = extra.excluded ? rowsOfUsers(extra.excluded, users) : extra.excluded;
  const popularity = new Int32Array(data.nItems);
  const trainUser = new Uint8Array(data.nUsers);
  for (let i = 0; i < seen.length; i++) {
    popularity[data.ratings.item[seen[i]]]++;
    trainUser[data.ratings.user[seen[i]]] = 1;
  }
  let trainUsers = 0;
  for (let u = 0; u < data.nUsers; u++) trainUsers += trainUser[u];
  const result = evaluateRanking(lists, k, truth, {
    metrics,
    popularity,
    catalogueSize: data.nItems,
    trainUsers,
    excluded,
    itemFeatures: extra.itemFeatures,
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

/** The rows of `byUser` (one per dense user) for `users`, in that order. */
function rowsOfUsers(byUser: Csr, users: Int32Array): Csr {
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
  return { offsets, values };
}

/**
 * The genres of the catalogue's items when a metric needs item features; data without them
 * (a MAL items file lacking the Genres column) is refused naming the metric.
 */
function itemFeaturesFor(metrics: string[], clean: Artifact, nItems: number): Csr | undefined {
  const needing = metrics.filter((name) => metricNeeds(name).includes("item_features"));
  if (!needing.length) return undefined;
  const pairs = clean.tables.item_genres;
  if (!pairs) {
    throw new UserError(
      `${needing.join(", ")} needs item features (genres), and these data have none ` +
        "(the MAL items file has no Genres column)",
      { path: "evaluate.metrics" },
    );
  }
  return fromPairs(pairs.item as Int32Array, pairs.genre as Int32Array, nItems);
}

/** Intervals of the per-user ranking metrics (every column of the table but user_id). */
function rankingIntervals(perUser: Table, options: BootstrapOptions): Record<string, Interval> {
  const names = Object.keys(perUser).filter((name) => name !== "user_id");
  const intervals = bootstrapMeans(names.map((name) => perUser[name] as Float64Array), options);
  return Object.fromEntries(names.map((name, i) => [name, intervals[i]]));
}

/** Intervals of rating metrics, resampling the users of the held-out rows. */
function ratingIntervalsByUser(
  predicted: Float64Array,
  truth: Float64Array,
  groups: RowsByUser,
  names: string[],
  options: BootstrapOptions,
): Record<string, Interval> {
  const metrics = names.map((name) => metricOfKind(name, "rating"));
  const intervals = ratingIntervals(predicted, truth, groups, metrics, options);
  return Object.fromEntries(names.map((name, i) => [name, intervals[i]]));
}

function resamplingLine(options: BootstrapOptions, units: string, started: number): string {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return `95% intervals: ${options.resamples} bootstrap resamples of ${units} (${seconds} s)`;
}
