/**
 * The implicit-feedback view of the training ratings that the top-N baselines share: a binary
 * user x item matrix X, by user (CSR) and by item (CSC). A rating counts as an interaction when
 * it reaches `threshold` (null: every rating does). A (user, item) pair rated twice (the MAL
 * files are stacked, so the study's data has such pairs) is one interaction.
 *
 * Built in O(ratings + users + items) with counting sorts over typed arrays; within a user the
 * items are ascending, within an item the users are ascending.
 */
import { z } from "zod";
import type { TrainData } from "../model.ts";

/** The spec field every implicit model takes. */
export const implicitFields = {
  /** ratings at or above this count as interactions; null: every training rating does */
  threshold: z.number().nullable().default(null),
};

export interface Interactions {
  nUsers: number;
  nItems: number;
  /** X by user: the items of user u are userItems[userOffsets[u] .. userOffsets[u+1]) */
  userOffsets: Int32Array;
  userItems: Int32Array;
  /** X by item (the transpose): the users of item i */
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
  /** interactions per item (column sums of X) */
  itemCounts: Int32Array;
  /** interactions per user (row sums of X) */
  userCounts: Int32Array;
}

/** X from the training rows of `data` (see the module comment). */
export function interactions(data: TrainData, threshold: number | null = null): Interactions {
  const { nUsers, nItems, train } = data;
  const { user, item, rating } = data.ratings;
  const keep = (row: number) => threshold === null || rating[row] >= threshold;

  // 1. Rows grouped by item (counting sort), users in row order.
  const byItemOffsets = new Int32Array(nItems + 1);
  for (let p = 0; p < train.length; p++) if (keep(train[p])) byItemOffsets[item[train[p]] + 1]++;
  for (let i = 0; i < nItems; i++) byItemOffsets[i + 1] += byItemOffsets[i];
  const fill = byItemOffsets.slice(0, nItems);
  const byItemUsers = new Int32Array(byItemOffsets[nItems]);
  for (let p = 0; p < train.length; p++) {
    const row = train[p];
    if (keep(row)) byItemUsers[fill[item[row]]++] = user[row];
  }

  // 2. By user, walking items in ascending order: a user's items come out ascending, so a
  // repeated pair is adjacent and dropped. Two passes: count, then fill.
  const userCounts = new Int32Array(nUsers);
  const last = new Int32Array(nUsers).fill(-1);
  for (let i = 0; i < nItems; i++) {
    for (let p = byItemOffsets[i]; p < byItemOffsets[i + 1]; p++) {
      const u = byItemUsers[p];
      if (last[u] !== i) {
        last[u] = i;
        userCounts[u]++;
      }
    }
  }
  const userOffsets = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) userOffsets[u + 1] = userOffsets[u] + userCounts[u];
  const userItems = new Int32Array(userOffsets[nUsers]);
  const next = userOffsets.slice(0, nUsers);
  last.fill(-1);
  for (let i = 0; i < nItems; i++) {
    for (let p = byItemOffsets[i]; p < byItemOffsets[i + 1]; p++) {
      const u = byItemUsers[p];
      if (last[u] !== i) {
        last[u] = i;
        userItems[next[u]++] = i;
      }
    }
  }

  // 3. The transpose of the deduplicated X, walking users in ascending order.
  const itemCounts = new Int32Array(nItems);
  for (let p = 0; p < userItems.length; p++) itemCounts[userItems[p]]++;
  const itemOffsets = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) itemOffsets[i + 1] = itemOffsets[i] + itemCounts[i];
  const itemUsers = new Int32Array(userItems.length);
  const at = itemOffsets.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) itemUsers[at[userItems[p]]++] = u;
  }
  return { nUsers, nItems, userOffsets, userItems, itemOffsets, itemUsers, itemCounts, userCounts };
}
