/**
 * Small dense symmetric positive-definite solves for the ALS row updates: A x = b with A
 * (n x n, row-major) factored in place as L Lᵀ (Cholesky–Banachiewicz), then two triangular
 * solves. O(n³/6) multiply-adds; n is the number of factors (at most a few hundred).
 */

/**
 * Overwrites the lower triangle of `a` (n x n, row-major; only its lower triangle is read)
 * with L, where A = L Lᵀ. Returns false when A is not positive definite (a pivot <= 0).
 */
export function choleskyFactor(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j];
      for (let k = 0; k < j; k++) sum -= a[rowI + k] * a[rowJ + k];
      if (i === j) {
        if (!(sum > 0)) return false;
        a[rowI + i] = Math.sqrt(sum);
      } else {
        a[rowI + j] = sum / a[rowJ + j];
      }
    }
  }
  return true;
}

/** Solves L Lᵀ x = b with L from choleskyFactor; `b` is overwritten with x. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  // L y = b
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * b[k];
    b[i] = sum / l[i * n + i];
  }
  // Lᵀ x = y
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * b[k];
    b[i] = sum / l[i * n + i];
  }
}

/** x = A⁻¹ b for a symmetric positive-definite A (copied, not modified); throws otherwise. */
export function solveSpd(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const l = a.slice();
  if (!choleskyFactor(l, n)) throw new Error("solveSpd: the matrix is not positive definite");
  const x = b.slice();
  choleskySolveInPlace(l, n, x);
  return x;
}
