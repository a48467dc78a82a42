import { csrByUser } from "../ratings.ts";
import type { RowSplit } from "./per_user.ts";

/** Positions within a user's rows: the key timestamp * 2^22 + position stays an exact double. */
const POSITIONS = 2 ** 22;

/**
 * Leave-last-out per user: each user's rows ordered by (timestamp, file order); the latest
 * `test` rows go to test, the `dev` rows before them to dev, the rest to train. Among rows
 * sharing a timestamp the one later in the file counts as later, so of several rows at a
 * user's latest time the last in file order is the test row. A user with too few rows fills
 * test first, then dev (as the per-user split does). Test and dev list users in dense order,
 * latest row first; train keeps file order. Deterministic; O(n log d) for d rows per user.
 */
export function leaveLastSplit(
  user: Int32Array,
  timestamp: Int32Array,
  nUsers: number,
  options: { test: number; dev: number },
): RowSplit {
  const n = user.length;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  // Rows of a user come in ascending row order: file order.
  const byUser = csrByUser(user, all, nUsers);
  let longest = 0, nTest = 0, nDev = 0;
  for (let u = 0; u < nUsers; u++) {
    const size = byUser.offsets[u + 1] - byUser.offsets[u];
    if (size > longest) longest = size;
    const t = Math.min(options.test, size);
    nTest += t;
    nDev += Math.min(options.dev, size - t);
  }
  if (longest > POSITIONS) {
    throw new Error(`leave-last split: a user with ${longest} rows (at most ${POSITIONS})`);
  }
  const keys = new Float64Array(longest);
  const test = new Int32Array(nTest);
  const dev = new Int32Array(nDev);
  const heldOut = new Uint8Array(n);
  let it = 0, id = 0;
  for (let u = 0; u < nUsers; u++) {
    const from = byUser.offsets[u];
    const size = byUser.offsets[u + 1] - from;
    if (size === 0) continue;
    // key = timestamp * 2^22 + position in the user's rows: exact below 2^53, and its
    // order is (timestamp, file order).
    const userKeys = keys.subarray(0, size);
    for (let p = 0; p < size; p++) {
      userKeys[p] = timestamp[byUser.values[from + p]] * POSITIONS + p;
    }
    userKeys.sort();
    let p = size - 1;
    for (let c = 0; c < options.test && p >= 0; c++, p--) {
      const row = byUser.values[from + positionOf(userKeys[p])];
      test[it++] = row;
      heldOut[row] = 1;
    }
    for (let c = 0; c < options.dev && p >= 0; c++, p--) {
      const row = byUser.values[from + positionOf(userKeys[p])];
      dev[id++] = row;
      heldOut[row] = 1;
    }
  }
  const train = new Int32Array(n - nTest - nDev);
  for (let i = 0, j = 0; i < n; i++) if (!heldOut[i]) train[j++] = i;
  return { train, dev, test };
}

/** The position part of a key (a non-negative remainder, also for times before 1970). */
function positionOf(key: number): number {
  return ((key % POSITIONS) + POSITIONS) % POSITIONS;
}
