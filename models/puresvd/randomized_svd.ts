/**
 * The top right singular vectors of a sparse binary X (users x items), by randomized subspace
 * iteration on X^T X (Halko, Martinsson & Tropp 2011, algorithm 4.4 with Rayleigh-Ritz):
 *
 *   Q = orth(Omega), Omega items x l Gaussian (seeded), l = factors + oversampling;
 *   `iterations` times: Q = orth(X^T (X Q));
 *   T = Q^T X^T X Q (l x l); its top eigenvectors U; V = Q U[:, :factors].
 *
 * X is only ever applied through its CSR rows (never formed dense): one pass X Q and one
 * X^T (X Q) per iteration, O(nnz * l). Each column's sign is fixed so that its entry of
 * largest magnitude is positive, so V does not depend on the rotation the solver lands in.
 */
import { orthonormalizeColumns, transpose } from "../linalg/orthonormalize.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";

export interface SparseRows {
  nRows: number;
  nCols: number;
  offsets: Int32Array;
  /** column indices per row */
  indices: Int32Array;
}

export interface TopSingular {
  /** items x factors, row-major: V */
  vectors: Float64Array;
  /** the squared singular values (eigenvalues of X^T X), descending */
  values: Float64Array;
  factors: number;
}

export function topRightSingular(
  x: SparseRows,
  factors: number,
  options: {
    iterations: number;
    oversampling: number;
    random: () => number;
    onIteration?: (done: number, total: number) => void;
  },
): TopSingular {
  const m = x.nCols;
  const f = Math.min(factors, m);
  const l = Math.min(m, f + options.oversampling);
  // Omega, column-major (items x l): Box-Muller normals from the seeded generator
  let q: Float64Array = new Float64Array(m * l);
  for (let p = 0; p < q.length; p += 2) {
    const u1 = 1 - options.random();
    const u2 = options.random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    q[p] = radius * Math.cos(2 * Math.PI * u2);
    if (p + 1 < q.length) q[p + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  orthonormalizeColumns(q, m, l);
  const rowMajor = new Float64Array(m * l);
  const z = new Float64Array(m * l);
  const y = new Float64Array(x.nRows * l);
  for (let it = 0; it < options.iterations; it++) {
    gramTimes(x, transpose(q, l, m, rowMajor), l, y, z);
    q = transpose(z, m, l, q);
    orthonormalizeColumns(q, m, l);
    options.onIteration?.(it + 1, options.iterations);
  }
  // Rayleigh-Ritz: T = Q^T (X^T X Q)
  const qRows = transpose(q, l, m, rowMajor);
  gramTimes(x, qRows, l, y, z);
  const t = new Float64Array(l * l);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < l; a++) {
      const qa = qRows[i * l + a];
      if (qa === 0) continue;
      for (let b = 0; b < l; b++) t[a * l + b] += qa * z[i * l + b];
    }
  }
  for (let a = 0; a < l; a++) {
    for (let b = 0; b < a; b++) t[a * l + b] = t[b * l + a] = (t[a * l + b] + t[b * l + a]) / 2;
  }
  const eigen = symmetricEigen(t, l);
  const vectors = new Float64Array(m * f);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < f; c++) {
      let sum = 0;
      for (let a = 0; a < l; a++) sum += qRows[i * l + a] * eigen.vectors[a * l + c];
      vectors[i * f + c] = sum;
    }
  }
  fixSigns(vectors, m, f);
  return { vectors, values: eigen.values.slice(0, f), factors: f };
}

/** z = X^T (X q) for row-major q (items x l), through y (users x l). */
function gramTimes(x: SparseRows, q: Float64Array, l: number, y: Float64Array, z: Float64Array) {
  const { nRows, offsets, indices } = x;
  y.fill(0);
  z.fill(0);
  for (let u = 0; u < nRows; u++) {
    const yu = u * l;
    for (let p = offsets[u]; p < offsets[u + 1]; p++) {
      const qi = indices[p] * l;
      for (let c = 0; c < l; c++) y[yu + c] += q[qi + c];
    }
    for (let p = offsets[u]; p < offsets[u + 1]; p++) {
      const zi = indices[p] * l;
      for (let c = 0; c < l; c++) z[zi + c] += y[yu + c];
    }
  }
}

function fixSigns(v: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    let best = 0;
    for (let r = 0; r < rows; r++) {
      if (Math.abs(v[r * cols + c]) > Math.abs(best)) best = v[r * cols + c];
    }
    if (best < 0) { for (let r = 0; r < rows; r++) v[r * cols + c] = -v[r * cols + c]; }
  }
}
