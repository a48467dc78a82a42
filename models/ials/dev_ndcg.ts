/**
 * The per-epoch dev curve of the factor models: mean ndcg@k (metrics/ranking/ndcg.ts, the
 * project's definition) of full-catalogue top-k lists, training items excluded, against the
 * dev rows, for a seeded sample of the users who have dev rows. The sample and its truth are
 * fixed before the first epoch, so the curve moves with the model only.
 */
import { deriveSeed, seededRandom } from "../../data/rng/seeded.ts";
import { evaluateRanking } from "../../metrics/evaluate_ranking.ts";
import type { RecommendRequest, TrainData } from "../model.ts";
import { POOL_MIN_USERS } from "../worker_pool.ts";
import { chunkRecommender } from "./factor_recommend_chunk.ts";
import type { FactorScores } from "./factor_scores.ts";

export interface DevSample {
  k: number;
  request: RecommendRequest;
  /** dev items of request.users[r]: values[offsets[r] .. offsets[r+1]) */
  truth: { offsets: Int32Array; values: Int32Array };
}

/** Up to `size` users with a dev row, drawn without replacement (seeded), in dense order. */
export function devSample(data: TrainData, size: number, k: number, seed: number): DevSample {
  const { user, item } = data.ratings;
  const hasDev = new Uint8Array(data.nUsers);
  for (let p = 0; p < data.dev.length; p++) hasDev[user[data.dev[p]]] = 1;
  const candidates: number[] = [];
  for (let u = 0; u < data.nUsers; u++) if (hasDev[u]) candidates.push(u);
  const random = seededRandom(deriveSeed(seed, "dev-sample"));
  const take = Math.min(size, candidates.length);
  for (let p = 0; p < take; p++) {
    const q = p + Math.floor(random() * (candidates.length - p));
    [candidates[p], candidates[q]] = [candidates[q], candidates[p]];
  }
  const users = Int32Array.from(candidates.slice(0, take)).sort();
  const position = new Int32Array(data.nUsers).fill(-1);
  users.forEach((u, r) => (position[u] = r));
  return {
    k,
    request: {
      users,
      k,
      exclude: rowsOf(data.train, user, item, position, users, true, data.nUsers),
      candidates: null,
    },
    truth: rowsOf(data.dev, user, item, position, users, false, data.nUsers),
  };
}

/**
 * The distinct items of the sampled users' `rows`: indexed by dense user (the exclusion a
 * RecommendRequest takes) or by position in the sample (the truth).
 */
function rowsOf(
  rows: Int32Array,
  user: Int32Array,
  item: Int32Array,
  position: Int32Array,
  users: Int32Array,
  byDenseUser: boolean,
  nUsers: number,
) {
  const sets = Array.from(users, () => new Set<number>());
  for (let p = 0; p < rows.length; p++) {
    const r = position[user[rows[p]]];
    if (r >= 0) sets[r].add(item[rows[p]]);
  }
  const length = byDenseUser ? nUsers : users.length;
  const offsets = new Int32Array(length + 1);
  const values: number[] = [];
  for (let row = 0; row < length; row++) {
    const at = byDenseUser ? position[row] : row;
    if (at >= 0) { for (const i of [...sets[at]].sort((a, b) => a - b)) values.push(i); }
    offsets[row + 1] = values.length;
  }
  return { offsets, values: Int32Array.from(values) };
}

/** Top-k lists of request.users, in order (factor_recommend.ts). */
export type ListMaker = (model: FactorScores, request: RecommendRequest) => Promise<Int32Array>;

/** The lists on this thread, by blocks of users (factor_recommend_chunk.ts). */
export const onThisThread: ListMaker = (model, request) => {
  const out = new Int32Array(request.users.length * request.k);
  chunkRecommender(model, request)(0, request.users.length, out);
  return Promise.resolve(out);
};

/**
 * `pooled` (a worker pool's lists) for samples of at least POOL_MIN_USERS users; below that,
 * sharing the factors with the workers costs more than the lists (../worker_pool.ts).
 */
export function listsByThreads(pooled: ListMaker): ListMaker {
  return (model, request) =>
    request.users.length < POOL_MIN_USERS ? onThisThread(model, request) : pooled(model, request);
}

/** Mean ndcg@k over the sample (NaN for an empty sample); lists by `lists` (default here). */
export async function devNdcg(
  model: FactorScores,
  sample: DevSample,
  lists: ListMaker = onThisThread,
): Promise<number> {
  const { request, truth, k } = sample;
  if (request.users.length === 0) return NaN;
  const name = `ndcg@${k}`;
  const recs = await lists(model, request);
  return evaluateRanking(recs, k, truth, { metrics: [name], catalogueSize: model.nItems })
    .mean[name];
}
