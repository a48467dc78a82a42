/**
 * G x = b from the Cholesky factor G = L L^T that choleskyInPlace leaves in a workspace's
 * lower triangle: forward substitution L z = b, then back substitution L^T x = z, both
 * reading L by rows (the back substitution subtracts each solved x_i from the rows above it).
 * O(n^2) per right-hand side, in Float64.
 */
import type { DenseWorkspace } from "./dense_workspace.ts";

export function solveWithFactor(ws: DenseWorkspace, b: ArrayLike<number>): Float64Array {
  const { view, layout: { n, ld } } = ws;
  if (b.length !== n) throw new Error(`solveWithFactor: ${b.length} values for order ${n}`);
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const row = i * ld;
    let sum = x[i];
    for (let j = 0; j < i; j++) sum -= view[row + j] * x[j];
    x[i] = sum / view[row + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = i * ld;
    const xi = x[i] /= view[row + i];
    for (let j = 0; j < i; j++) x[j] -= view[row + j] * xi;
  }
  return x;
}
