import { deriveSeed, seededRandom } from "../../data/rng/seeded.ts";
import { type Distribution, drawValue } from "./distributions.ts";
import type { GridAxis } from "./set_arguments.ts";

/** A field whose value each trial draws from a distribution. */
export interface RandomAxis {
  path: string[];
  distribution: Distribution;
  /** where it was written, for messages: `sweep.random.model.lr` */
  source: string;
}

/** What to try: every grid combination, each crossed with `draws` random draws. */
export interface SweepDesign {
  grid: GridAxis[];
  random: RandomAxis[];
  /** random draws per grid combination (1 when nothing is random) */
  draws: number;
  /** seed of the draws */
  seed: number;
}

/** One field's value in one trial. */
export interface Assignment {
  path: string[];
  value: unknown;
}

export function trialCount(design: SweepDesign): number {
  return design.grid.reduce((n, axis) => n * axis.values.length, 1) *
    (design.random.length ? design.draws : 1);
}

/**
 * The trials of a design, in a fixed order: grid combinations as nested loops with the
 * first axis outermost (the last one varies fastest), each followed by its random draws.
 */
export function expandTrials(design: SweepDesign): Assignment[][] {
  const draws = design.random.length ? randomDraws(design.random, design.draws, design.seed) : [[]];
  const trials: Assignment[][] = [];
  for (const combination of gridProduct(design.grid.map((axis) => axis.values))) {
    for (const draw of draws) {
      trials.push([
        ...design.grid.map((axis, a) => ({ path: axis.path, value: combination[a] })),
        ...design.random.map((axis, a) => ({ path: axis.path, value: draw[a] })),
      ]);
    }
  }
  return trials;
}

/** The cartesian product of value lists, last list varying fastest; [[]] for no lists. */
export function gridProduct(lists: unknown[][]): unknown[][] {
  let product: unknown[][] = [[]];
  for (const values of lists) {
    product = product.flatMap((prefix) => values.map((value) => [...prefix, value]));
  }
  return product;
}

/**
 * `count` draws, one value per axis each. Every axis has its own generator seeded from
 * the sweep seed and its path, so adding an axis leaves the other axes' draws unchanged.
 */
export function randomDraws(axes: RandomAxis[], count: number, seed: number): unknown[][] {
  const columns = axes.map((axis) => {
    const random = seededRandom(deriveSeed(seed, axis.path.join(".")));
    return Array.from({ length: count }, () => drawValue(axis.distribution, random));
  });
  return Array.from({ length: count }, (_, d) => columns.map((column) => column[d]));
}
