import { NumpyRandomState } from "../../data/rng/numpy_random_state.ts";
import { seededRandom } from "../../data/rng/seeded.ts";
import type { StepContext } from "../model.ts";
import { allocate, type FactorModel, type Precision } from "./factors.ts";
import type { Trainset } from "./trainset.ts";

/** Draws n values from N(mean, std^2), continuing one stream across calls. */
export type NormalSource = (mean: number, std: number, n: number) => Float64Array;

/**
 * The step's normal generator: numpy's legacy RandomState for exact Surprise replays,
 * otherwise Box-Muller over seedrandom's alea (the project default).
 */
export function normalSource(ctx: Pick<StepContext, "rng" | "seed">): NormalSource {
  if (ctx.rng === "numpy") {
    const state = new NumpyRandomState(ctx.seed);
    return (mean, std, n) => state.normal(mean, std, n);
  }
  return seededNormalSource(ctx.seed);
}

/** Normals by Marsaglia's polar form of Box-Muller over alea uniforms, pairs used in turn. */
export function seededNormalSource(seed: number): NormalSource {
  const uniform = seededRandom(seed);
  let spare = 0;
  let hasSpare = false;
  return (mean, std, n) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      if (hasSpare) {
        out[k] = mean + std * spare;
        hasSpare = false;
        continue;
      }
      let x: number;
      let y: number;
      let r2: number;
      do {
        x = 2 * uniform() - 1;
        y = 2 * uniform() - 1;
        r2 = x * x + y * y;
      } while (r2 >= 1 || r2 === 0);
      const f = Math.sqrt(-2 * Math.log(r2) / r2);
      spare = x * f;
      hasSpare = true;
      out[k] = mean + std * y * f;
    }
    return out;
  };
}

export interface InitOptions {
  factors: number;
  initMean: number;
  initStd: number;
  precision: Precision;
  /** SVD++ draws yj after pu and qi; SVD has none */
  implicit: boolean;
  biased: boolean;
}

/** Surprise's initialisation: biases 0; pu, qi (and yj) drawn in that order. */
export function initModel(ts: Trainset, options: InitOptions, normal: NormalSource): FactorModel {
  const { factors, initMean, initStd, precision } = options;
  const draw = (rows: number) => {
    const values = normal(initMean, initStd, rows * factors);
    const stored = allocate(precision, values.length);
    stored.set(values);
    return stored;
  };
  const pu = draw(ts.nUsers);
  const qi = draw(ts.nItems);
  const yj = options.implicit ? draw(ts.nItems) : null;
  return {
    factors,
    mu: ts.globalMean,
    biased: options.biased,
    bu: allocate(precision, ts.nUsers),
    bi: allocate(precision, ts.nItems),
    pu,
    qi,
    yj,
  };
}
