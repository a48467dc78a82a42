import { pandasSampleIndices } from "../rng/pandas_sample.ts";
import { seededRandom, shuffleRange } from "../rng/seeded.ts";

/**
 * `rows.sample(frac)`: a fraction of the rows, in sampled order. With `rng: numpy` it is
 * pandas' `DataFrame.sample(frac=frac, random_state=seed)` exactly (the study's 3%).
 */
export function sampleRows(
  rows: Int32Array,
  frac: number,
  options: { rng: "seeded" | "numpy"; seed: number },
): Int32Array {
  if (options.rng === "numpy") {
    return pandasSampleIndices(rows.length, frac, options.seed).map((p) => rows[p]);
  }
  const order = rows.slice();
  shuffleRange(order, 0, order.length, seededRandom(options.seed));
  return order.slice(0, Math.round(frac * rows.length));
}

/**
 * The rows of the first `count` distinct users of `rows`, in the order the users first
 * appear (the study: "the first 5,000 user_id of ratings_test").
 */
export function rowsOfFirstUsers(rows: Int32Array, user: Int32Array, count: number): Int32Array {
  const chosen = new Set<number>();
  for (let i = 0; i < rows.length && chosen.size < count; i++) chosen.add(user[rows[i]]);
  return rows.filter((r) => chosen.has(user[r]));
}
