import { NumpyRandomState } from "../rng/numpy_random_state.ts";
import { seededRandom, shuffleRange } from "../rng/seeded.ts";

/** The rows of one fold: training rows in Surprise's order, and the held-out rows. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/**
 * K-fold cross-validation as Surprise's `KFold(n_splits, random_state)` does it: shuffle
 * the row indices, cut them into k contiguous chunks (the first n % k one row longer);
 * fold f tests on chunk f and trains on the rows before it, then the rows after it, in
 * shuffled order. With `rng: numpy` the shuffle is numpy's, so folds match Surprise's.
 */
export function kFoldPermutation(
  n: number,
  options: { rng: "seeded" | "numpy"; seed: number },
): Int32Array {
  if (options.rng === "numpy") return new NumpyRandomState(options.seed).permutation(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleRange(order, 0, n, seededRandom(options.seed));
  return order;
}

/** Fold `f` (0-based) of `k` over a permutation from `kFoldPermutation`. */
export function kFold(order: Int32Array, k: number, f: number): Fold {
  const n = order.length;
  const base = Math.floor(n / k);
  const extra = n % k;
  const start = f * base + Math.min(f, extra);
  const stop = start + base + (f < extra ? 1 : 0);
  const train = new Int32Array(n - (stop - start));
  train.set(order.subarray(0, start), 0);
  train.set(order.subarray(stop), start);
  return { train, test: order.slice(start, stop) };
}
