/**
 * The lower triangle of G = X^T X + lambda I, rows from .. to-1, into a dense row-major
 * matrix, from a sparse binary X: row i counts, for each user of item i, that user's items
 * j <= i. Walking item by item keeps the row being counted in cache; the whole costs the sum
 * over users of |I_u|^2 / 2 increments. Counts are exact in float32 below 2^24 users. Rows
 * are independent, so workers can each take some (linalg/worker.ts).
 */
export interface BinaryColumns {
  /** X by row (user): column indices ascending */
  userOffsets: Int32Array;
  userItems: Int32Array;
  /** X by column (item): row indices */
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
}

export function gramLower(
  view: Float32Array | Float64Array,
  ld: number,
  x: BinaryColumns,
  lambda: number,
  from = 0,
  to = x.itemOffsets.length - 1,
): void {
  const { userOffsets, userItems, itemOffsets, itemUsers } = x;
  // counted in integers (cheaper than float increments), then written as floats
  const counts = new Int32Array(to);
  for (let i = from; i < to; i++) {
    counts.fill(0, 0, i + 1);
    for (let p = itemOffsets[i]; p < itemOffsets[i + 1]; p++) {
      const u = itemUsers[p];
      // the user's items are ascending: stop at i
      for (let q = userOffsets[u]; q < userOffsets[u + 1]; q++) {
        const j = userItems[q];
        if (j > i) break;
        counts[j]++;
      }
    }
    const row = i * ld;
    for (let j = 0; j <= i; j++) view[row + j] = counts[j];
    view[row + i] += lambda;
  }
}
