import { seededRandom } from "../data/rng/seeded.ts";
import type { TrainData } from "../models/model.ts";

/** Test support for the ials and bpr tests: planted implicit data. */

export interface Planted {
  data: TrainData;
  /** group of each user and item (0 or 1) */
  userGroup: Int32Array;
  itemGroup: Int32Array;
}

/**
 * Two user groups preferring two item groups: user u (group u % 2) interacts with each item
 * of its own group with probability `own` and of the other group with probability `other`.
 * One interaction per user is held out as dev (the last drawn), the rest are training rows.
 */
export function plantedData(
  options: { users: number; items: number; own: number; other: number; seed: number },
): Planted {
  const { users: nUsers, items: nItems, own, other, seed } = options;
  const random = seededRandom(seed);
  const userGroup = Int32Array.from({ length: nUsers }, (_, u) => u % 2);
  const itemGroup = Int32Array.from({ length: nItems }, (_, i) => i % 2);
  const user: number[] = [];
  const item: number[] = [];
  const train: number[] = [];
  const dev: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const rows: number[] = [];
    for (let i = 0; i < nItems; i++) {
      if (random() < (userGroup[u] === itemGroup[i] ? own : other)) {
        rows.push(user.length);
        user.push(u);
        item.push(i);
      }
    }
    if (rows.length > 1) dev.push(rows.pop()!);
    train.push(...rows);
  }
  return {
    data: {
      ratings: {
        user: Int32Array.from(user),
        item: Int32Array.from(item),
        rating: new Float32Array(user.length).fill(1),
        userIds: Int32Array.from({ length: nUsers }, (_, u) => u + 1),
        itemIds: Int32Array.from({ length: nItems }, (_, i) => i + 1),
      },
      train: Int32Array.from(train),
      dev: Int32Array.from(dev),
      nUsers,
      nItems,
      scale: [1, 1],
    },
    userGroup,
    itemGroup,
  };
}

/**
 * Mean over users of the AUC of score(u, ·): the probability that an item of the user's own
 * group outside training ranks above an item of the other group outside training.
 */
export function plantedAuc(
  planted: Planted,
  score: (user: number, item: number) => number,
): number {
  const { data, userGroup, itemGroup } = planted;
  const seen = new Set<number>();
  for (const row of data.train) {
    seen.add(data.ratings.user[row] * data.nItems + data.ratings.item[row]);
  }
  let total = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < data.nItems; i++) {
      if (seen.has(u * data.nItems + i)) continue;
      (itemGroup[i] === userGroup[u] ? pos : neg).push(score(u, i));
    }
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    total += wins / (pos.length * neg.length);
  }
  return total / data.nUsers;
}
