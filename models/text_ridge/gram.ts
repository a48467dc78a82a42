/**
 * The centred Gram matrix of a sparse design, whichever side is smaller: the primal
 * X_c^T X_c (columns x columns) or the dual X_c X_c^T (rows x rows), X_c = X - 1 mu^T with
 * mu the column means. Centring takes the intercept out of the penalty. Only the lower
 * triangle is filled (row-major, order x order), in Float64.
 */
import type { SparseRows } from "./sparse_rows.ts";

export type RidgeSide = "primal" | "dual";

export interface CentredGram {
  side: RidgeSide;
  order: number;
  /** order x order, row-major; entries above the diagonal are unset */
  lower: Float64Array;
}

/** The primal when there are no more columns than rows, else the dual. */
export function smallerSide(x: SparseRows): RidgeSide {
  return x.cols <= x.rows ? "primal" : "dual";
}

export function centredGram(x: SparseRows, means: Float64Array, side: RidgeSide): CentredGram {
  return side === "primal" ? primalGram(x, means) : dualGram(x);
}

/** X^T X - n mu mu^T, from each row's outer product (columns ascending: j <= i). */
function primalGram(x: SparseRows, means: Float64Array): CentredGram {
  const m = x.cols;
  const g = new Float64Array(m * m);
  for (let r = 0; r < x.rows; r++) {
    const from = x.offsets[r];
    const to = x.offsets[r + 1];
    for (let a = from; a < to; a++) {
      const row = x.columns[a] * m;
      const va = x.values[a];
      for (let b = from; b <= a; b++) g[row + x.columns[b]] += va * x.values[b];
    }
  }
  const n = x.rows;
  for (let i = 0; i < m; i++) {
    const scaled = n * means[i];
    if (scaled === 0) continue;
    for (let j = 0; j <= i; j++) g[i * m + j] -= scaled * means[j];
  }
  return { side: "primal", order: m, lower: g };
}

/** H K H with K = X X^T and H = I - 11^T / n: K_ij - r_i - r_j + mean(r), r the row means. */
function dualGram(x: SparseRows): CentredGram {
  const n = x.rows;
  const k = new Float64Array(n * n);
  const dense = new Float64Array(x.cols);
  for (let i = 0; i < n; i++) {
    // row i scattered densely, then dotted with the sparse rows j <= i
    for (let e = x.offsets[i]; e < x.offsets[i + 1]; e++) dense[x.columns[e]] = x.values[e];
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let e = x.offsets[j]; e < x.offsets[j + 1]; e++) {
        sum += x.values[e] * dense[x.columns[e]];
      }
      k[i * n + j] = sum;
    }
    for (let e = x.offsets[i]; e < x.offsets[i + 1]; e++) dense[x.columns[e]] = 0;
  }
  const rowMeans = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      rowMeans[i] += k[i * n + j];
      if (j < i) rowMeans[j] += k[i * n + j];
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += rowMeans[i] /= n;
  const grand = total / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) k[i * n + j] += grand - rowMeans[i] - rowMeans[j];
  }
  return { side: "dual", order: n, lower: k };
}
