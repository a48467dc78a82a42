/**
 * Scores of one user from a neighbourhood model's weight matrix (sparse_rows.ts), summed into
 * a dense accumulator: only the items touched are listed, every other item scores 0.
 *
 * - `items` (ItemKNN, RP3beta): score_j = sum over the user's items i of W_ij (row i of W):
 *   the user's row of X·W.
 * - `users` (UserKNN): score_j = sum over the users v in row u of S of S_uv x_vj: the user's
 *   row of S·X.
 *
 * Items are added in ascending order of i (or v), so a score does not depend on the thread.
 */
import type { SparseRows } from "./sparse_rows.ts";

/** X by user: user u's items are items[offsets[u] .. offsets[u + 1]), ascending. */
export interface UserItems {
  offsets: Int32Array;
  items: Int32Array;
}

export type ScoreBasis = "items" | "users";

/**
 * The longest rows of W copied out dense (ItemKNN's popular items sit in most columns' top-k,
 * so their rows are nearly full): adding a dense row streams through memory where a sparse
 * one scatters. Row i's copy is rows[rowOf[i] * nItems ..], rowOf[i] = -1 for sparse rows.
 * Adding S_ij = 0 changes no sum, so scores are the same to the bit.
 */
export interface DenseRows {
  rowOf: Int32Array;
  rows: Float64Array;
}

/** Rows longer than nItems / 8, longest first, within `budget` bytes. */
export function denseRowsOf(
  weights: SparseRows,
  nItems: number,
  budget = 256 * 2 ** 20,
  alloc: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
): DenseRows {
  const { offsets, columns, values } = weights;
  const nRows = offsets.length - 1;
  const long: number[] = [];
  for (let i = 0; i < nRows; i++) if (8 * (offsets[i + 1] - offsets[i]) > nItems) long.push(i);
  long.sort((a, b) => (offsets[b + 1] - offsets[b]) - (offsets[a + 1] - offsets[a]) || a - b);
  const count = Math.min(long.length, Math.floor(budget / (8 * Math.max(1, nItems))));
  const rowOf = new Int32Array(alloc(nRows * 4)).fill(-1);
  const rows = new Float64Array(alloc(count * nItems * 8));
  for (let r = 0; r < count; r++) {
    const i = long[r];
    rowOf[i] = r;
    for (let q = offsets[i]; q < offsets[i + 1]; q++) rows[r * nItems + columns[q]] = values[q];
  }
  return { rowOf, rows };
}

/**
 * Adds user u's scores into `scores` (all zero on entry). When the user reaches few items, it
 * lists each item whose score it made nonzero in `touched` and returns how many (the weights
 * are positive, so a touched score never returns to 0); when it reaches many, listing costs
 * more than scanning the catalogue afterwards: it returns -1 and lists nothing.
 */
export function scoreUser(
  weights: SparseRows,
  x: UserItems,
  basis: ScoreBasis,
  u: number,
  scores: Float64Array,
  touched: Int32Array,
  denseRows: DenseRows | null = null,
): number {
  const { offsets, columns, values } = weights;
  const nItems = scores.length;
  if (basis === "items") {
    let volume = 0;
    for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
      volume += offsets[x.items[p] + 1] - offsets[x.items[p]];
    }
    if (4 * volume > nItems) {
      const rowOf = denseRows?.rowOf;
      for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
        const i = x.items[p];
        const r = rowOf === undefined ? -1 : rowOf[i];
        if (r >= 0) {
          const row = denseRows!.rows.subarray(r * nItems, (r + 1) * nItems);
          for (let j = 0; j < nItems; j++) scores[j] += row[j];
        } else {
          for (let q = offsets[i]; q < offsets[i + 1]; q++) scores[columns[q]] += values[q];
        }
      }
      return -1;
    }
    let count = 0;
    for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
      const i = x.items[p];
      for (let q = offsets[i]; q < offsets[i + 1]; q++) {
        const j = columns[q];
        const score = scores[j];
        // branch-free: a mispredicted "first time?" branch costs more than the add
        touched[count] = j;
        count += +(score === 0);
        scores[j] = score + values[q];
      }
    }
    return count;
  }
  let volume = 0;
  for (let q = offsets[u]; q < offsets[u + 1]; q++) {
    volume += x.offsets[columns[q] + 1] - x.offsets[columns[q]];
  }
  const dense = 4 * volume > nItems;
  let count = 0;
  for (let q = offsets[u]; q < offsets[u + 1]; q++) {
    const v = columns[q];
    const weight = values[q];
    if (dense) {
      for (let p = x.offsets[v]; p < x.offsets[v + 1]; p++) scores[x.items[p]] += weight;
      continue;
    }
    for (let p = x.offsets[v]; p < x.offsets[v + 1]; p++) {
      const j = x.items[p];
      const score = scores[j];
      touched[count] = j;
      count += +(score === 0);
      scores[j] = score + weight;
    }
  }
  return dense ? -1 : count;
}
