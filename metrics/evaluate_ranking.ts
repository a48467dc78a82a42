/**
 * Scores top-k recommendation lists against per-user truth, keeping every per-user value
 * (for significance tests) and their means.
 *
 * Who counts: a user is evaluated when it has a recommendation list and a non-empty
 * truth. "Has a list" is `options.hasList[u] === 1` when that mask is given, else "the
 * row is not all -1 padding". Users not evaluated get NaN in every per-user array, and
 * means skip NaN, so averages run over test users that have a list, as in the study.
 * Truth rows are sets (duplicates count once); a list naming an item twice is an error.
 */
import type { Csr } from "../data/ratings.ts";
import type { Catalogue } from "./beyond/beyond_metric.ts";
import { meanSkippingNaN } from "./mean.ts";
import { checkTruthShape, itemBound, listLength, stampTruth } from "./ranking/ranking_inputs.ts";
import type { RankingMetric, UserRanking } from "./ranking/user_ranking.ts";
import {
  type MetricAtK,
  type MetricDefinition,
  metricDefinition,
  parseRecommendationMetric,
} from "./registry.ts";

export interface RankingEvaluationOptions {
  /** e.g. ["precision", "ndcg@5", "coverage"]; a bare name is evaluated at k */
  metrics: readonly string[];
  /** training rating count per dense item: popularity_percentile and novelty need it */
  popularity?: Int32Array;
  /** number of catalogue items; defaults to popularity.length. coverage needs one of them */
  catalogueSize?: number;
  /** number of training users, for novelty */
  trainUsers?: number;
  /** hasList[u] = 1 when user u received a list (even an empty one) */
  hasList?: Uint8Array;
  /**
   * the items each user's list could not hold (its seen items, when the recommender excluded
   * them), rows as in `truth`; null when nothing was excluded. auc_topk needs it (or null)
   */
  excluded?: Csr | null;
  /** feature ids per catalogue item (MAL genres), rows distinct and ascending; ild needs it */
  itemFeatures?: Csr;
}

export interface RankingEvaluation {
  /** per-user value of each per-user metric ("precision@10"), NaN for users not evaluated */
  perUser: Record<string, Float64Array>;
  /** mean over evaluated users of each per-user metric, plus list-set metrics ("coverage@10") */
  mean: Record<string, number>;
  /** number of evaluated users */
  users: number;
}

/** Where the values of one requested per-user metric go. */
interface RankingColumn {
  metric: RankingMetric;
  k: number;
  values: Float64Array;
}

interface ItemScoreColumn {
  /** the metric's score of every catalogue item */
  scores: Float64Array;
  k: number;
  values: Float64Array;
}

interface ListColumn {
  score: (items: Int32Array, start: number, count: number) => number;
  k: number;
  values: Float64Array;
}

/**
 * @param recs nUsers x k item indices, row-major, -1 padding at the end of short rows
 * @param k the row length, and the cutoff of metrics named without "@"
 * @param truth relevant item indices per user, rows in the same order as `recs`
 */
export function evaluateRanking(
  recs: Int32Array,
  k: number,
  truth: Csr,
  options: RankingEvaluationOptions,
): RankingEvaluation {
  const nUsers = truth.offsets.length - 1;
  checkShapes(recs, k, truth, nUsers, options);
  const catalogue = catalogueOf(options);
  const nItems = catalogue.size >= 0 ? catalogue.size : itemBound(recs, truth.values);
  const requested = resolveNames(options.metrics, k);

  const perUser: Record<string, Float64Array> = {};
  const ranking: RankingColumn[] = [];
  const itemScores: ItemScoreColumn[] = [];
  const listScores: ListColumn[] = [];
  const scoresByBase = new Map<string, Float64Array>();
  const needsExclusion = requested.some(({ metric }) => metric.needs?.includes("excluded_items"));
  if (needsExclusion) checkExclusion(requested, options, catalogue, nUsers);
  for (const { metric, k: cutoff, name } of requested) {
    if (metric.kind === "list_set") continue;
    const values = new Float64Array(nUsers);
    perUser[name] = values;
    if (metric.kind === "ranking") {
      ranking.push({ metric, k: cutoff, values });
    } else if (metric.kind === "item_score") {
      const scores = scoresByBase.get(metric.name) ?? metric.itemScores(catalogue);
      scoresByBase.set(metric.name, scores);
      itemScores.push({ scores, k: cutoff, values });
    } else if (metric.kind === "list") {
      listScores.push({ score: metric.prepare(catalogue), k: cutoff, values });
    }
  }
  const excluded = needsExclusion ? options.excluded : undefined;
  const excludedStamp = excluded ? new Int32Array(nItems) : undefined;

  const included = new Uint8Array(nUsers);
  const truthStamp = new Int32Array(nItems);
  const listStamp = new Int32Array(nItems);
  const user: UserRanking = { hits: new Uint8Array(k), k, truthSize: 0, length: 0, negatives: NaN };
  let users = 0;
  for (let u = 0; u < nUsers; u++) {
    const mark = u + 1;
    const truthSize = stampTruth(truth, u, truthStamp, mark, nItems);
    const length = listLength(recs, u, k, listStamp, mark, nItems);
    const hasList = options.hasList ? options.hasList[u] === 1 : length > 0;
    if (!hasList || truthSize === 0) {
      for (const column of ranking) column.values[u] = NaN;
      for (const column of itemScores) column.values[u] = NaN;
      for (const column of listScores) column.values[u] = NaN;
      continue;
    }
    included[u] = 1;
    users++;
    const start = u * k;
    for (let r = 0; r < k; r++) {
      user.hits[r] = r < length && truthStamp[recs[start + r]] === mark ? 1 : 0;
    }
    user.truthSize = truthSize;
    user.length = length;
    if (needsExclusion) {
      const outside = excluded
        ? excludedOutsideTruth(excluded, u, truthStamp, excludedStamp!, mark)
        : 0;
      user.negatives = catalogue.size - truthSize - outside;
    }
    for (const column of ranking) {
      user.k = column.k;
      column.values[u] = column.metric.perUser(user);
    }
    for (const column of itemScores) {
      column.values[u] = meanItemScore(recs, start, Math.min(length, column.k), column.scores);
    }
    for (const column of listScores) {
      column.values[u] = column.score(recs, start, Math.min(length, column.k));
    }
  }

  const mean: Record<string, number> = {};
  for (const { metric, k: cutoff, name } of requested) {
    mean[name] = metric.kind === "list_set"
      ? metric.compute({ items: recs, rowLength: k, included }, cutoff, catalogue)
      : meanSkippingNaN(perUser[name]).mean;
  }
  return { perUser, mean, users };
}

/**
 * Distinct excluded items of user `row` that are not relevant (truth stamped with `mark`):
 * the items neither side of an AUC pair may be.
 */
function excludedOutsideTruth(
  excluded: Csr,
  row: number,
  truthStamp: Int32Array,
  stamp: Int32Array,
  mark: number,
): number {
  let count = 0;
  for (let j = excluded.offsets[row]; j < excluded.offsets[row + 1]; j++) {
    const item = excluded.values[j];
    if (!(item >= 0 && item < stamp.length)) {
      throw new Error(`excluded.values[${j}] = ${item} (row ${row}) is outside the items`);
    }
    if (truthStamp[item] === mark || stamp[item] === mark) continue;
    stamp[item] = mark;
    count++;
  }
  return count;
}

/** A metric needing the excluded items gets them (or null) and a catalogue size. */
function checkExclusion(
  requested: ResolvedMetric[],
  options: RankingEvaluationOptions,
  catalogue: Catalogue,
  nUsers: number,
): void {
  const name = requested.find(({ metric }) => metric.needs?.includes("excluded_items"))!.name;
  if (options.excluded === undefined) {
    throw new Error(
      `metric "${name}" needs options.excluded: the items each list could not hold, or null`,
    );
  }
  if (!(catalogue.size > 0)) {
    throw new Error(`metric "${name}" needs options.catalogueSize or options.popularity`);
  }
  if (options.excluded !== null) checkTruthShape(options.excluded, nUsers, "excluded");
}

/** Mean score of the first `count` items of a row; NaN for an empty list. */
function meanItemScore(recs: Int32Array, start: number, count: number, scores: Float64Array) {
  let sum = 0;
  for (let r = 0; r < count; r++) sum += scores[recs[start + r]];
  return count === 0 ? NaN : sum / count;
}

function checkShapes(
  recs: Int32Array,
  k: number,
  truth: Csr,
  nUsers: number,
  options: RankingEvaluationOptions,
): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new Error(`evaluateRanking: k must be a positive integer (got ${k})`);
  }
  if (nUsers < 0) throw new Error("evaluateRanking: truth.offsets must have nUsers + 1 entries");
  if (recs.length !== nUsers * k) {
    throw new Error(
      `evaluateRanking: recs has ${recs.length} entries; truth has ${nUsers} users, so ` +
        `nUsers * k = ${nUsers * k} were expected`,
    );
  }
  checkTruthShape(truth, nUsers);
  if (options.hasList && options.hasList.length !== nUsers) {
    throw new Error(
      `evaluateRanking: options.hasList has ${options.hasList.length} entries, not ${nUsers}`,
    );
  }
}

/** The catalogue from the options; size -1 when neither a size nor popularity is given. */
function catalogueOf(options: RankingEvaluationOptions): Catalogue {
  const { popularity, catalogueSize, trainUsers, itemFeatures } = options;
  if (catalogueSize !== undefined && !(Number.isInteger(catalogueSize) && catalogueSize > 0)) {
    throw new Error(
      `evaluateRanking: options.catalogueSize must be a positive integer (got ${catalogueSize})`,
    );
  }
  if (popularity && catalogueSize !== undefined && popularity.length !== catalogueSize) {
    throw new Error(
      `evaluateRanking: options.popularity has ${popularity.length} entries but ` +
        `options.catalogueSize is ${catalogueSize}`,
    );
  }
  const size = catalogueSize ?? popularity?.length ?? -1;
  if (itemFeatures && size >= 0 && itemFeatures.offsets.length !== size + 1) {
    throw new Error(
      `evaluateRanking: options.itemFeatures has ${itemFeatures.offsets.length - 1} rows but ` +
        `the catalogue has ${size} items`,
    );
  }
  return { size, popularity, trainUsers, features: itemFeatures };
}

/** A requested metric at its cutoff, with its registered definition. */
interface ResolvedMetric extends MetricAtK {
  metric: MetricDefinition;
}

/** Parses the requested names, drops repeats ("precision" = "precision@10" at k 10). */
function resolveNames(names: readonly string[], k: number): ResolvedMetric[] {
  const byName = new Map<string, ResolvedMetric>();
  for (const name of names) {
    const parsed = parseRecommendationMetric(name, k);
    byName.set(parsed.name, { ...parsed, metric: metricDefinition(parsed.base)! });
  }
  return [...byName.values()];
}
