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
  if (users.length !== items.length) {
    throw new Error(`svdpp predict: users (${users.length}) and items (${items.length}) differ`);
  }
  const n = users.length;
  const innerUser = toInner(users, ts.userInner);
  const innerItem = toInner(items, ts.itemInner);
  // counting sort of the pairs by inner user; bucket 0 holds unknown users
  const starts = new Int32Array(ts.nUsers + 2);
  for (let p = 0; p < n; p++) starts[innerUser[p] + 2]++;
  for (let b = 1; b < starts.length; b++) starts[b] += starts[b - 1];
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[starts[innerUser[p] + 1]++] = p;
  const out = new Float64Array(n);
  const vector = new Float64Array(model.factors);
  let at = 0;
  for (let bucket = 0; bucket <= ts.nUsers; bucket++) {
    const end = starts[bucket];
    if (at === end) continue;
    const u = bucket - 1;
    if (u >= 0) userVector(model, ts, u, vector);
    for (; at < end; at++) {
      const p = order[at];
      const est = estimate(model, u, innerItem[p], vector);
      out[p] = scale === null ? est : clip(est, scale);
    }
  }
  return out;
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
