/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix by cyclic Jacobi rotations
 * (Golub & Van Loan 8.5), in Float64: accurate to working precision, O(n^3) per sweep, for
 * the projected problems of subspace methods (n up to a few hundred).
 */
export interface SymmetricEigen {
  /** descending */
  values: Float64Array;
  /** row-major n x n: column c is the eigenvector of values[c] */
  vectors: Float64Array;
}

/** `a`: row-major n x n, symmetric (only read). */
export function symmetricEigen(a: Float64Array, n: number, maxSweeps = 100): SymmetricEigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        total += m[i * n + j] ** 2;
        if (i !== j) off += m[i * n + j] ** 2;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q of M
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((x, y) => m[y * n + y] - m[x * n + x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, c) => {
    values[c] = m[from * n + from];
    for (let k = 0; k < n; k++) vectors[k * n + c] = v[k * n + from];
  });
  return { values, vectors };
}
