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
 * Adds user u's scores into `scores` (all zero on entry) and lists each item whose score it
 * made nonzero in `touched`; returns how many. The weights are positive, so a touched score
 * never returns to 0.
 */
export function scoreUser(
  weights: SparseRows,
  x: UserItems,
  basis: ScoreBasis,
  u: number,
  scores: Float64Array,
  touched: Int32Array,
): number {
  const { offsets, columns, values } = weights;
  let count = 0;
  if (basis === "items") {
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
  } else {
    for (let q = offsets[u]; q < offsets[u + 1]; q++) {
      const v = columns[q];
      const weight = values[q];
      for (let p = x.offsets[v]; p < x.offsets[v + 1]; p++) {
        const j = x.items[p];
        const score = scores[j];
        touched[count] = j;
        count += +(score === 0);
        scores[j] = score + weight;
      }
    }
  }
  return count;
}
