/**
 * Seeded draws for weight generation, head initialisation and batch shuffling. Each use
 * gets its own stream from (seed, label), so adding a draw in one place does not shift
 * the numbers drawn in another.
 */
import seedrandom from "seedrandom";

export class SeededRandom {
  private readonly uniform: () => number;
  private spare: number | null = null;

  constructor(seed: number, label: string) {
    this.uniform = seedrandom.alea(`${seed}:${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Standard normal by Box-Muller (both values of a pair are used). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u1 = 1 - this.uniform(); // in (0, 1], so log never sees 0
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }

  /** `count` draws from N(mean, std²) as float32. */
  normalArray(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(values: Int32Array): Int32Array {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}
