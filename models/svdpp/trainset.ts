import type { TrainData } from "../model.ts";

/**
 * The training ratings as Surprise's `Trainset` sees them: users and items get inner ids in
 * order of first appearance among the TRAINING rows (not the whole ratings table), and each
 * inner user's ratings are kept in insertion order (`trainset.ur[u]`), as a CSR.
 */
export interface Trainset {
  nUsers: number;
  nItems: number;
  /** dense user index -> inner id, -1 when the user has no training rating */
  userInner: Int32Array;
  /** dense item index -> inner id, -1 when the item has no training rating */
  itemInner: Int32Array;
  /** entries of inner user u are offsets[u] .. offsets[u+1] */
  offsets: Int32Array;
  /** inner item of each entry */
  items: Int32Array;
  /** the rating of each entry (the Ratings table stores Float32; each is exact as a double) */
  ratings: Float32Array;
  globalMean: number;
}

/** Builds the trainset from `data.train`, checking every row against the ratings table. */
export function buildTrainset(data: TrainData): Trainset {
  const { ratings, train } = data;
  const nRows = ratings.user.length;
  if (train.length === 0) throw new Error("svdpp: data.train is empty, nothing to fit");
  const userInner = new Int32Array(data.nUsers).fill(-1);
  const itemInner = new Int32Array(data.nItems).fill(-1);
  const counts = new Int32Array(data.nUsers);
  let nUsers = 0;
  let nItems = 0;
  for (let k = 0; k < train.length; k++) {
    const row = train[k];
    if (!(row >= 0 && row < nRows)) {
      throw new Error(`svdpp: data.train[${k}] = ${row} is not a row of the ratings (${nRows})`);
    }
    const u = ratings.user[row];
    const i = ratings.item[row];
    if (!(u >= 0 && u < data.nUsers)) {
      throw new Error(`svdpp: ratings.user[${row}] = ${u} is outside 0..nUsers-1 (${data.nUsers})`);
    }
    if (!(i >= 0 && i < data.nItems)) {
      throw new Error(`svdpp: ratings.item[${row}] = ${i} is outside 0..nItems-1 (${data.nItems})`);
    }
    if (!Number.isFinite(ratings.rating[row])) {
      throw new Error(`svdpp: ratings.rating[${row}] is not a finite number`);
    }
    if (userInner[u] < 0) userInner[u] = nUsers++;
    if (itemInner[i] < 0) itemInner[i] = nItems++;
    counts[userInner[u]]++;
  }
  const offsets = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) offsets[u + 1] = offsets[u] + counts[u];
  const fill = offsets.slice(0, nUsers);
  const items = new Int32Array(train.length);
  const values = new Float32Array(train.length);
  for (let k = 0; k < train.length; k++) {
    const row = train[k];
    const at = fill[userInner[ratings.user[row]]]++;
    items[at] = itemInner[ratings.item[row]];
    values[at] = ratings.rating[row];
  }
  // summed in Surprise's all_ratings() order (user by user)
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k];
  return {
    nUsers,
    nItems,
    userInner,
    itemInner,
    offsets,
    items,
    ratings: values,
    globalMean: sum / train.length,
  };
}
