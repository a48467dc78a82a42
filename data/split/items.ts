import { pandasSampleIndices } from "../rng/pandas_sample.ts";
import { seededRandom, shuffleRange } from "../rng/seeded.ts";
import type { RowSplit } from "./per_user.ts";

/**
 * The study's item protocol for score regression, over the given item positions (those
 * with a numeric score): `sample = items.sample(frac=sample_frac)`, `train =
 * sample.sample(frac=train)`, `dev = rest.sample(frac=0.5)`, `test = rest - dev`, every
 * draw with the same random_state; `rest` keeps the sample's order, as `drop` does. With
 * `rng: numpy` these are pandas' draws exactly.
 */
export function itemSplit(
  items: Int32Array,
  options: { sample_frac: number; train: number; rng: "seeded" | "numpy"; seed: number },
): RowSplit {
  const sample = (rows: Int32Array, frac: number) => {
    if (options.rng === "numpy") {
      return pandasSampleIndices(rows.length, frac, options.seed).map((p) => rows[p]);
    }
    const order = rows.slice();
    shuffleRange(order, 0, order.length, seededRandom(`${options.seed}:${rows.length}:${frac}`));
    return order.slice(0, Math.round(frac * rows.length));
  };
  const without = (rows: Int32Array, drop: Int32Array) => {
    const dropped = new Set(drop);
    return rows.filter((r) => !dropped.has(r));
  };
  const sampled = sample(items, options.sample_frac);
  const train = sample(sampled, options.train);
  const rest = without(sampled, train);
  const dev = sample(rest, 0.5);
  return { train, dev, test: without(rest, dev) };
}
