import type { RecommendRequest, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { paramsFromTable, type TableShape } from "./params.ts";
import { predictPairs } from "./predict.ts";
import { recommendTopK } from "./recommend.ts";
import { buildTrainset } from "./trainset.ts";

// Both rebuild the trainset from `data` (linear in the training rows; SVD++ needs each
// user's rated items), so callers should pass all their pairs / users in one call.

/** predict() of a ModelDefinition: clipped Surprise estimates for dense (user, item) pairs. */
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

/** recommend() of a ModelDefinition: see recommend.ts. */
export function recommendFromParams(
  params: Table,
  data: TrainData,
  shape: TableShape,
  request: RecommendRequest,
): Int32Array {
  const ts = buildTrainset(data);
  const model = paramsFromTable(params, ts, shape);
  return recommendTopK(model, ts, data.nUsers, data.nItems, data.scale, request);
}
