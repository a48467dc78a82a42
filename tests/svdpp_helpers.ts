import assert from "node:assert/strict";
import type { Ratings } from "../data/ratings.ts";
import type { StepContext, TrainData } from "../models/model.ts";
import { seededRandom } from "../data/rng/seeded.ts";
import { seededNormalSource } from "../models/svdpp/init.ts";

/** Test support for the svdpp tests: CSV fixtures, synthetic ratings and a silent context. */

export function silentContext(seed: number, rng: "seeded" | "numpy" = "seeded"): StepContext {
  return { seed, rng, progress() {}, log() {} };
}

/** Ratings from `userId,movieId,rating[,...]` text, ids made dense by first appearance. */
export function parseRatingsCsv(text: string): Ratings {
  const lines = text.trim().split("\n").slice(1);
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (const line of lines) {
    const [u, i, r] = line.split(",");
    users.push(Number(u));
    items.push(Number(i));
    values.push(Number(r));
  }
  return denseRatings(users, items, values);
}

export function denseRatings(users: number[], items: number[], values: number[]): Ratings {
  const userIds: number[] = [];
  const itemIds: number[] = [];
  const userIndex = new Map<number, number>();
  const itemIndex = new Map<number, number>();
  const index = (id: number, map: Map<number, number>, ids: number[]) => {
    let at = map.get(id);
    if (at === undefined) {
      at = ids.length;
      map.set(id, at);
      ids.push(id);
    }
    return at;
  };
  return {
    user: Int32Array.from(users, (id) => index(id, userIndex, userIds)),
    item: Int32Array.from(items, (id) => index(id, itemIndex, itemIds)),
    rating: Float32Array.from(values),
    userIds: Int32Array.from(userIds),
    itemIds: Int32Array.from(itemIds),
  };
}

export function trainData(
  ratings: Ratings,
  train: Int32Array,
  dev: Int32Array,
  scale: [number, number],
): TrainData {
  return {
    ratings,
    train,
    dev,
    nUsers: ratings.userIds.length,
    nItems: ratings.itemIds.length,
    scale,
  };
}

export function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, k) => k);
}

/** Dense index of an original id, -1 when absent (an unknown user or item). */
export function denseOf(ids: Int32Array, id: number): number {
  return ids.indexOf(id);
}

/** Element-wise |actual - expected| <= tolerance, naming the first index that is not. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const gap = Math.abs(actual[k] - expected[k]);
    assert.ok(gap <= tolerance, `${what}[${k}]: ${actual[k]} vs ${expected[k]} (gap ${gap})`);
  }
}

export interface Synthetic {
  data: TrainData;
  /** held-out rows (also data.dev) */
  test: Int32Array;
}

/**
 * Ratings from known factors: r = 3 + b_u + b_i + p_u . q_i + N(0, sigma^2), each user rating
 * `perUser` distinct random items (plus `repeats` of those rated twice), rows split at random
 * into train (80 %) and test (20 %, also given as dev). The scale is wide, so nothing clips.
 */
export function syntheticRatings(options: {
  users: number;
  items: number;
  perUser: number;
  rank: number;
  sigma: number;
  seed: number;
  repeats?: number;
}): Synthetic {
  const { users: nUsers, items: nItems, perUser, rank, sigma, seed } = options;
  const normal = seededNormalSource(seed);
  const random = seededRandom(seed + 1);
  const p = normal(0, 0.6, nUsers * rank);
  const q = normal(0, 0.6, nItems * rank);
  const bu = normal(0, 0.3, nUsers);
  const bi = normal(0, 0.3, nItems);
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const chosen = new Set<number>();
    while (chosen.size < perUser) chosen.add(Math.floor(random() * nItems));
    const rated = [...chosen, ...[...chosen].slice(0, options.repeats ?? 0)];
    for (const i of rated) {
      let dot = 0;
      for (let x = 0; x < rank; x++) dot += p[u * rank + x] * q[i * rank + x];
      users.push(u);
      items.push(i);
      values.push(3 + bu[u] + bi[i] + dot + sigma * normal(0, 1, 1)[0]);
    }
  }
  const ratings = denseRatings(users, items, values);
  const train: number[] = [];
  const test: number[] = [];
  for (let row = 0; row < values.length; row++) (random() < 0.2 ? test : train).push(row);
  const testRows = Int32Array.from(test);
  return {
    data: trainData(ratings, Int32Array.from(train), testRows, [-100, 100]),
    test: testRows,
  };
}
