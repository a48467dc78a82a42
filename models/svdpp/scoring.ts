import type { RecommendRequest, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { paramsFromTable, type TableShape } from "./params.ts";
import { predictPairs } from "./predict.ts";
import { recommendTopK } from "./recommend.ts";
import { recommendThreaded } from "./recommend_threaded.ts";
import { buildTrainset } from "./trainset.ts";

// Both rebuild the trainset from `data` (linear in the training rows; SVD++ needs each
// user's rated items), so callers should pass all their pairs / users in one call.

/**
 * predict() of a ModelDefinition: clipped Surprise estimates for dense (user, item) pairs.
 * On this thread whatever the config's `threads`: ModelDefinition.predict is synchronous.
 */
export function predictFromParams(
  params: Table,
  data: TrainData,
  shape: TableShape,
  users: Int32Array,
  items: Int32Array,
): Float64Array {
  const ts = buildTrainset(data);
  const model = paramsFromTable(params, ts, shape);
  return predictPairs(model, ts, users, items, data.scale);
}

/**
 * recommend() of a ModelDefinition: see recommend.ts; with threads > 1 the users are shared
 * out among workers (recommend_threaded.ts) and the lists, identical, come in a promise.
 */
export function recommendFromParams(
  params: Table,
  data: TrainData,
  shape: TableShape,
  request: RecommendRequest,
  threads: number,
): Int32Array | Promise<Int32Array> {
  const ts = buildTrainset(data);
  const model = paramsFromTable(params, ts, shape);
  const { nUsers, nItems, scale } = data;
  const { itemIds } = data.ratings;
  if (threads > 1) {
    return recommendThreaded(model, ts, nUsers, nItems, scale, request, itemIds, threads);
  }
  return recommendTopK(model, ts, nUsers, nItems, scale, request, itemIds);
}
