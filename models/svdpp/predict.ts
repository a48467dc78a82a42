import { clip, estimate, userVector } from "./estimate.ts";
import type { FactorModel } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/**
 * Predicted ratings for (user, item) pairs of dense indices, as Surprise's `predict`:
 * users or items without training ratings (or -1, or out of range) are unknown, and the
 * estimate is clipped to `scale` unless `scale` is null. Pairs are grouped by user so the
 * SVD++ user vector is computed once per distinct user.
 */
export function predictPairs(
  model: FactorModel,
  ts: Trainset,
  users: Int32Array,
  items: Int32Array,
  scale: readonly [number, number] | null,
): Float64Array {
  const groups = groupPairs(ts, users, items);
  const out = new Float64Array(users.length);
  predictGroups(model, ts, groups, 0, ts.nUsers + 1, scale, out);
  return out;
}

/**
 * Pairs grouped by user. Bucket 0 holds the unknown users and bucket u + 1 inner user u;
 * the pairs of bucket b are order[starts[b] .. starts[b + 1]).
 */
export interface PairGroups {
  /** inner item of each pair, -1 when unknown */
  innerItem: Int32Array;
  /** nUsers + 2 entries */
  starts: Int32Array;
  order: Int32Array;
}

export function groupPairs(ts: Trainset, users: Int32Array, items: Int32Array): PairGroups {
  if (users.length !== items.length) {
    throw new Error(`svdpp predict: users (${users.length}) and items (${items.length}) differ`);
  }
  const n = users.length;
  const bucketOf = toInner(users, ts.userInner);
  for (let p = 0; p < n; p++) bucketOf[p]++;
  const starts = new Int32Array(ts.nUsers + 2);
  for (let p = 0; p < n; p++) starts[bucketOf[p] + 1]++;
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const fill = starts.slice(0, ts.nUsers + 1);
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[fill[bucketOf[p]]++] = p;
  return { innerItem: toInner(items, ts.itemInner), starts, order };
}

/**
 * Writes out[p] for the pairs of buckets from .. to-1. Each pair's value depends only on
 * its user, its item and the model, so any split of the buckets gives the same values.
 */
export function predictGroups(
  model: FactorModel,
  ts: Pick<Trainset, "offsets" | "items">,
  groups: PairGroups,
  from: number,
  to: number,
  scale: readonly [number, number] | null,
  out: Float64Array,
): void {
  const { innerItem, starts, order } = groups;
  const vector = new Float64Array(model.factors);
  for (let bucket = from; bucket < to; bucket++) {
    const end = starts[bucket + 1];
    let at = starts[bucket];
    if (at === end) continue;
    const u = bucket - 1;
    if (u >= 0) userVector(model, ts, u, vector);
    for (; at < end; at++) {
      const p = order[at];
      const est = estimate(model, u, innerItem[p], vector);
      out[p] = scale === null ? est : clip(est, scale);
    }
  }
}

/** Dense index -> inner id, -1 for anything unknown or out of range. */
function toInner(dense: Int32Array, map: Int32Array): Int32Array {
  const inner = new Int32Array(dense.length);
  for (let p = 0; p < dense.length; p++) {
    const d = dense[p];
    inner[p] = d >= 0 && d < map.length ? map[d] : -1;
  }
  return inner;
}
