/**
 * A sparse matrix by rows (CSR) in typed arrays: what the neighbourhood models fit and cache
 * (as Arrow columns) and what scoring walks. Row r's entries are columns/values[offsets[r] ..
 * offsets[r + 1]), columns ascending.
 */
import type { Table } from "../../runners/table.ts";
import type { NeighbourSlots } from "./neighbours.ts";

export interface SparseRows {
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/** The slots as rows (entity e's row holds its neighbours), then each row's columns sorted. */
export function rowsOfSlots(slots: NeighbourSlots): SparseRows {
  // transposing twice sorts every row by column in O(entries), without a sort per row
  return transposeRows(transposeRows(packSlots(slots), slots.n), slots.n);
}

/** The transpose of the slots: column e holds entity e's neighbours (a column-wise cut). */
export function columnsOfSlots(slots: NeighbourSlots): SparseRows {
  return transposeRows(packSlots(slots), slots.n);
}

/** The slots without their empty tails, rows in the slots' (best first) order. */
function packSlots(slots: NeighbourSlots): SparseRows {
  const { n, k, count, index, value } = slots;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < n; e++) offsets[e + 1] = offsets[e] + count[e];
  const columns = new Int32Array(offsets[n]);
  const values = new Float64Array(offsets[n]);
  for (let e = 0; e < n; e++) {
    columns.set(index.subarray(e * k, e * k + count[e]), offsets[e]);
    values.set(value.subarray(e * k, e * k + count[e]), offsets[e]);
  }
  return { offsets, columns, values };
}

/** The transpose (nCols rows), each row's columns ascending: a counting sort, O(entries). */
export function transposeRows(rows: SparseRows, nCols: number): SparseRows {
  const { offsets, columns, values } = rows;
  const nRows = offsets.length - 1;
  const out = new Int32Array(nCols + 1);
  for (let p = 0; p < columns.length; p++) out[columns[p] + 1]++;
  for (let c = 0; c < nCols; c++) out[c + 1] += out[c];
  const at = out.slice(0, nCols);
  const outColumns = new Int32Array(columns.length);
  const outValues = new Float64Array(columns.length);
  for (let r = 0; r < nRows; r++) {
    for (let p = offsets[r]; p < offsets[r + 1]; p++) {
      const slot = at[columns[p]]++;
      outColumns[slot] = r;
      outValues[slot] = values[p];
    }
  }
  return { offsets: out, columns: outColumns, values: outValues };
}

/** The parameter table of a neighbourhood model: its weight matrix by rows. */
export function rowsToTable(rows: SparseRows): Table {
  return { row_offsets: rows.offsets, columns: rows.columns, values: rows.values };
}

/**
 * The matrix back from a parameter table, checked against the number of rows the data has
 * (otherwise the parameters were fitted on other data).
 */
export function rowsFromTable(params: Table, nRows: number, model: string): SparseRows {
  const offsets = params.row_offsets;
  const columns = params.columns;
  const values = params.values;
  if (
    !(offsets instanceof Int32Array) || !(columns instanceof Int32Array) ||
    !(values instanceof Float64Array)
  ) {
    throw new Error(`${model} params: expected Int32 row_offsets, columns and Float64 values`);
  }
  if (offsets.length !== nRows + 1 || columns.length !== values.length) {
    throw new Error(
      `${model} params: ${offsets.length - 1} rows for ${nRows} in the data; ` +
        "the parameters were fitted on other data",
    );
  }
  return { offsets, columns, values };
}
