import { csrByUser } from "../ratings.ts";
import { seededRandom, shuffleRange } from "../rng/seeded.ts";

/** Row indices of each part of a split. */
export interface RowSplit {
  train: Int32Array;
  dev: Int32Array;
  test: Int32Array;
}

/**
 * Leave-some-out per user: each user's rows are shuffled, the first `test` go to test,
 * the next `dev` to dev, the rest to train. A user with too few rows fills test first
 * (the study: a user with one rating has only a test row). Parts list users in dense
 * order and, within a user, rows in shuffled order. Linear in the number of ratings.
 */
export function perUserSplit(
  user: Int32Array,
  nUsers: number,
  options: { test: number; dev: number; seed: number },
): RowSplit {
  const all = new Int32Array(user.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const byUser = csrByUser(user, all, nUsers);
  const random = seededRandom(options.seed);
  let nTest = 0, nDev = 0;
  for (let u = 0; u < nUsers; u++) {
    const size = byUser.offsets[u + 1] - byUser.offsets[u];
    const t = Math.min(options.test, size);
    nTest += t;
    nDev += Math.min(options.dev, size - t);
  }
  const test = new Int32Array(nTest);
  const dev = new Int32Array(nDev);
  const train = new Int32Array(user.length - nTest - nDev);
  let it = 0, id = 0, ir = 0;
  for (let u = 0; u < nUsers; u++) {
    const from = byUser.offsets[u];
    const to = byUser.offsets[u + 1];
    shuffleRange(byUser.values, from, to, random);
    let p = from;
    for (let c = 0; c < options.test && p < to; c++) test[it++] = byUser.values[p++];
    for (let c = 0; c < options.dev && p < to; c++) dev[id++] = byUser.values[p++];
    while (p < to) train[ir++] = byUser.values[p++];
  }
  return { train, dev, test };
}
