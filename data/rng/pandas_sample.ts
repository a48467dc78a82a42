/**
 * pandas 1.5 `DataFrame.sample` without replacement and without weights, and the study's
 * per-user split built on it. pandas draws `RandomState(seed).choice(n, size, replace=False)`,
 * which for the legacy generator is `permutation(n)[:size]`, with size = round(frac * n).
 */
import { NumpyRandomState } from "./numpy_random_state.ts";

/** Python's `round(x)` for x >= 0: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const nearest = Math.round(x);
  return nearest - x === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

/** Positions (0-based, in the returned order) of `df.sample(frac=frac, random_state=seed)`
 * on a frame of n rows. */
export function pandasSampleIndices(n: number, frac: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`pandasSampleIndices: n must be a non-negative integer, got ${n}`);
  }
  if (!(frac >= 0 && frac <= 1)) {
    throw new RangeError(
      `pandasSampleIndices: frac must be in [0, 1] without replacement, got ${frac}`,
    );
  }
  const size = roundHalfEven(frac * n);
  return new NumpyRandomState(seed).permutation(n).slice(0, size);
}

export interface PerUserSplit {
  /** one row per user with at least one row, in user order */
  test: Int32Array;
  /** one row per user with at least two rows, in user order */
  dev: Int32Array;
  /** the remaining rows, by user, in sampled order within a user */
  train: Int32Array;
}

/** Row indices grouped by user (counting sort), rows in file order within a user. */
function groupRowsByUser(
  userOfRow: Int32Array,
  nUsers: number,
): { offsets: Int32Array; rows: Int32Array } {
  const offsets = new Int32Array(nUsers + 1);
  // pandas groupby(sort=False) orders groups by first appearance; dense ids must match it.
  let nextNewUser = 0;
  for (let r = 0; r < userOfRow.length; r++) {
    const u = userOfRow[r];
    if (u < 0 || u >= nUsers || u > nextNewUser) {
      throw new RangeError(
        `pandasPerUserSplit: userOfRow[${r}] = ${u}; expected a dense id < ${nUsers} ` +
          `given in order of first appearance (next new id ${nextNewUser})`,
      );
    }
    if (u === nextNewUser) nextNewUser++;
    offsets[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, nUsers);
  const rows = new Int32Array(userOfRow.length);
  for (let r = 0; r < userOfRow.length; r++) rows[fill[userOfRow[r]]++] = r;
  return { offsets, rows };
}

/**
 * The study's split: for each user group (first-appearance order, rows in file order)
 * `g.sample(frac=1, random_state=seed)` — a fresh RandomState(seed) per group; the first
 * sampled row goes to test, the second to dev, the rest to train. Users without rows (only
 * possible after the last user that appears) are skipped. Linear in the number of rows.
 */
export function pandasPerUserSplit(
  userOfRow: Int32Array,
  nUsers: number,
  seed: number,
): PerUserSplit {
  if (!Number.isInteger(nUsers) || nUsers < 0) {
    throw new RangeError(
      `pandasPerUserSplit: nUsers must be a non-negative integer, got ${nUsers}`,
    );
  }
  const { offsets, rows } = groupRowsByUser(userOfRow, nUsers);
  let nTest = 0, nDev = 0;
  for (let u = 0; u < nUsers; u++) {
    const size = offsets[u + 1] - offsets[u];
    if (size >= 1) nTest++;
    if (size >= 2) nDev++;
  }
  const test = new Int32Array(nTest);
  const dev = new Int32Array(nDev);
  const train = new Int32Array(rows.length - nTest - nDev);
  const rs = new NumpyRandomState(seed);
  let t = 0, d = 0, tr = 0;
  for (let u = 0; u < nUsers; u++) {
    const begin = offsets[u], end = offsets[u + 1];
    if (begin === end) continue;
    rs.reseed(seed); // a copy of the cached seeded state, not a full re-initialisation
    rs.shuffleInPlace(rows, begin, end);
    test[t++] = rows[begin];
    if (end - begin >= 2) dev[d++] = rows[begin + 1];
    for (let k = begin + 2; k < end; k++) train[tr++] = rows[k];
  }
  return { test, dev, train };
}
