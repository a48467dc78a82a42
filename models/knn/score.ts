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
): number {
  const { offsets, columns, values } = weights;
  const nItems = scores.length;
  if (basis === "items") {
    let volume = 0;
    for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
      volume += offsets[x.items[p] + 1] - offsets[x.items[p]];
    }
    if (4 * volume > nItems) {
      for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
        const i = x.items[p];
        for (let q = offsets[i]; q < offsets[i + 1]; q++) scores[columns[q]] += values[q];
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
