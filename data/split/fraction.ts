import { pandasSampleIndices } from "../rng/pandas_sample.ts";
import { seededRandom, shuffleRange } from "../rng/seeded.ts";
import type { RowSplit } from "./per_user.ts";

/**
 * A random split of rows: `test` and `dev` fractions of all rows, the rest train. With
 * `rng: numpy`, as pandas would: test = df.sample(frac=test), then dev from the rest with
 * frac = dev / (1 - test), both with the same random_state.
 */
export function fractionSplit(
  n: number,
  options: { test: number; dev: number; rng: "seeded" | "numpy"; seed: number },
): RowSplit {
  if (options.rng === "numpy") {
    const testPositions = pandasSampleIndices(n, options.test, options.seed);
    const inTest = new Uint8Array(n);
    for (const p of testPositions) inTest[p] = 1;
    const rest = new Int32Array(n - testPositions.length);
    for (let i = 0, j = 0; i < n; i++) if (!inTest[i]) rest[j++] = i;
    const devFrac = options.test < 1 ? Math.min(1, options.dev / (1 - options.test)) : 0;
    const devPositions = pandasSampleIndices(rest.length, devFrac, options.seed);
    const inDev = new Uint8Array(rest.length);
    for (const p of devPositions) inDev[p] = 1;
    const train = new Int32Array(rest.length - devPositions.length);
    for (let i = 0, j = 0; i < rest.length; i++) if (!inDev[i]) train[j++] = rest[i];
    return { test: testPositions, dev: devPositions.map((p) => rest[p]), train };
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleRange(order, 0, n, seededRandom(options.seed));
  const nTest = Math.round(options.test * n);
  const nDev = Math.round(options.dev * n);
  return {
    test: order.slice(0, nTest),
    dev: order.slice(nTest, nTest + nDev),
    train: order.slice(nTest + nDev),
  };
}
