import type { Column, Table } from "../../runners/table.ts";
import type { FactorModel, Vec } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/** Per-epoch learning curves recorded during fit. */
export interface LearningCurves {
  /** RMSE of the SGD errors met during the epoch (free to compute; parameters move meanwhile) */
  train: Float64Array;
  /** RMSE of the clipped predictions on data.dev after the epoch (NaN without dev rows) */
  dev: Float64Array;
}

/**
 * The parameter table of a fitted SVD / SVD++. Columns have their own lengths:
 * mu (1), bu / bi (inner users / items), pu / qi / yj (flattened rows x factors),
 * user_map / item_map (dense index -> inner id, -1 = not in training), epoch_* (epochs).
 */
export function paramsToTable(model: FactorModel, ts: Trainset, curves: LearningCurves): Table {
  const table: Table = {
    mu: Float64Array.of(model.mu),
    bu: model.bu,
    bi: model.bi,
    pu: model.pu,
    qi: model.qi,
    user_map: ts.userInner,
    item_map: ts.itemInner,
    epoch_train_rmse: curves.train,
    epoch_dev_rmse: curves.dev,
  };
  if (model.yj !== null) table.yj = model.yj;
  return table;
}

export interface TableShape {
  factors: number;
  biased: boolean;
  implicit: boolean;
}

/**
 * Reads a parameter table back, checking it against the trainset rebuilt from the same data
 * (the inner-id maps must agree, or the parameters belong to other data).
 */
export function paramsFromTable(params: Table, ts: Trainset, shape: TableShape): FactorModel {
  const { factors } = shape;
  const mu = floatColumn(params, "mu", 1)[0];
  const userMap = intColumn(params, "user_map", ts.userInner.length);
  const itemMap = intColumn(params, "item_map", ts.itemInner.length);
  if (!sameValues(userMap, ts.userInner) || !sameValues(itemMap, ts.itemInner)) {
    throw new Error(
      "svdpp params: user_map / item_map differ from the training data's inner ids; " +
        "the parameters were fitted on other data",
    );
  }
  return {
    factors,
    mu,
    biased: shape.biased,
    bu: floatColumn(params, "bu", ts.nUsers),
    bi: floatColumn(params, "bi", ts.nItems),
    pu: floatColumn(params, "pu", ts.nUsers * factors),
    qi: floatColumn(params, "qi", ts.nItems * factors),
    yj: shape.implicit ? floatColumn(params, "yj", ts.nItems * factors) : null,
  };
}

function floatColumn(params: Table, name: string, length: number): Vec {
  const column = required(params, name, length);
  if (!(column instanceof Float64Array || column instanceof Float32Array)) {
    throw new Error(`svdpp params: column "${name}" should be Float32 or Float64`);
  }
  return column;
}

function intColumn(params: Table, name: string, length: number): Int32Array {
  const column = required(params, name, length);
  if (!(column instanceof Int32Array)) {
    throw new Error(`svdpp params: column "${name}" should be Int32`);
  }
  return column;
}

function required(params: Table, name: string, length: number): Column {
  const column = params[name];
  if (column === undefined) throw new Error(`svdpp params: column "${name}" is missing`);
  if (column.length !== length) {
    throw new Error(
      `svdpp params: column "${name}" has ${column.length} values, expected ${length}`,
    );
  }
  return column;
}

function sameValues(a: Int32Array, b: Int32Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
