import seedrandom from "seedrandom";
import { createHash } from "node:crypto";

/** The project's default generator: seedrandom's Alea, fast and reproducible everywhere. */
export function seededRandom(seed: number | string): () => number {
  return seedrandom.alea(String(seed));
}

/**
 * A seed for one consumer (a step, a fold), derived from the experiment seed and a string
 * key, so a step's randomness does not depend on what ran before it.
 */
export function deriveSeed(seed: number, key: string): number {
  const digest = createHash("sha256").update(`${seed}:${key}`).digest();
  return digest.readUInt32LE(0);
}

/** Fisher-Yates shuffle of `values[from, to)` in place. */
export function shuffleRange(
  values: Int32Array,
  from: number,
  to: number,
  random: () => number,
): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + Math.floor(random() * (i - from + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
