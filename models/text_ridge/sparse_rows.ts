/**
 * Sparse item-by-column matrices in compressed rows (CSR): typed arrays only, columns
 * ascending within a row. What the TF-IDF blocks produce and the ridge solver reads.
 */

export interface SparseRows {
  rows: number;
  cols: number;
  /** rows + 1 entries: row r is entries offsets[r] .. offsets[r + 1] */
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/** Side by side: the columns of block b come after those of blocks 0..b-1. */
export function concatColumns(blocks: SparseRows[]): SparseRows {
  if (blocks.length === 0) throw new Error("concatColumns: no blocks");
  const rows = blocks[0].rows;
  if (blocks.some((b) => b.rows !== rows)) throw new Error("concatColumns: row counts differ");
  const offsets = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) {
    let count = 0;
    for (const b of blocks) count += b.offsets[r + 1] - b.offsets[r];
    offsets[r + 1] = offsets[r] + count;
  }
  const columns = new Int32Array(offsets[rows]);
  const values = new Float64Array(offsets[rows]);
  for (let r = 0; r < rows; r++) {
    let at = offsets[r];
    let shift = 0;
    for (const b of blocks) {
      for (let e = b.offsets[r]; e < b.offsets[r + 1]; e++, at++) {
        columns[at] = b.columns[e] + shift;
        values[at] = b.values[e];
      }
      shift += b.cols;
    }
  }
  return { rows, cols: blocks.reduce((sum, b) => sum + b.cols, 0), offsets, columns, values };
}

/** Rows from..to (exclusive) as a matrix of their own (the arrays are views, not copies). */
export function sliceRows(x: SparseRows, from: number, to: number): SparseRows {
  const start = x.offsets[from];
  const end = x.offsets[to];
  const offsets = x.offsets.slice(from, to + 1);
  for (let r = 0; r < offsets.length; r++) offsets[r] -= start;
  return {
    rows: to - from,
    cols: x.cols,
    offsets,
    columns: x.columns.subarray(start, end),
    values: x.values.subarray(start, end),
  };
}

/** Scales each row to unit Euclidean length (an empty row stays empty). */
export function normalizeRows(x: SparseRows): void {
  for (let r = 0; r < x.rows; r++) {
    let squares = 0;
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) squares += x.values[e] * x.values[e];
    if (squares === 0) continue;
    const scale = 1 / Math.sqrt(squares);
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) x.values[e] *= scale;
  }
}

/** The mean of each column over the rows. */
export function columnMeans(x: SparseRows): Float64Array {
  const means = new Float64Array(x.cols);
  for (let e = 0; e < x.offsets[x.rows]; e++) means[x.columns[e]] += x.values[e];
  for (let c = 0; c < x.cols; c++) means[c] /= Math.max(1, x.rows);
  return means;
}

/** x . w + bias for every row. */
export function multiplyVector(x: SparseRows, w: Float64Array, bias = 0): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let sum = bias;
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) sum += x.values[e] * w[x.columns[e]];
    out[r] = sum;
  }
  return out;
}

/** x^T v: the columns' weighted sums with one weight per row. */
export function multiplyTransposed(x: SparseRows, v: Float64Array): Float64Array {
  const out = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    const weight = v[r];
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) out[x.columns[e]] += x.values[e] * weight;
  }
  return out;
}
