/**
 * Orthonormal columns of a tall matrix in place, by modified Gram-Schmidt applied twice
 * ("twice is enough", Giraud et al. 2005). The matrix is column-major (each column
 * contiguous, `rows` long). A column that vanishes against the earlier ones (rank
 * deficiency) is set to zero.
 */
export function orthonormalizeColumns(q: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    const column = q.subarray(c * rows, (c + 1) * rows);
    let original = 0;
    for (let r = 0; r < rows; r++) original += column[r] * column[r];
    for (let pass = 0; pass < 2; pass++) {
      for (let d = 0; d < c; d++) {
        const other = q.subarray(d * rows, (d + 1) * rows);
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += other[r] * column[r];
        for (let r = 0; r < rows; r++) column[r] -= dot * other[r];
      }
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += column[r] * column[r];
    // relative to the column's own size: what is left is rounding noise, not a direction
    const scale = norm > 1e-20 * original && norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < rows; r++) column[r] *= scale;
  }
}

/** Row-major rows x cols to column-major (or back, with rows and cols swapped). */
export function transpose(
  a: Float64Array,
  rows: number,
  cols: number,
  out: Float64Array = new Float64Array(rows * cols),
): Float64Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}
