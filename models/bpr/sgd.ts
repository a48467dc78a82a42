import { deriveSeed } from "../../data/rng/seeded.ts";

/**
 * One thread's share of a BPR epoch: `samples` triples (u, i, j), each drawn as a uniform
 * interaction (u, i) of X and a uniform item j that u has not interacted with (rejection;
 * a user with every item is skipped), then one SGD step on ln σ(x_uij) − reg‖·‖² (Rendle et
 * al. 2009, LearnBPR with bootstrap sampling). Typed arrays only; the generator is
 * xoshiro128** inline, seeded per epoch and thread.
 */
export interface BprState {
  factors: number;
  nItems: number;
  /** user of each interaction (X by user, in CSR order) */
  interactionUser: Int32Array;
  /** X by user: items ascending within a user */
  userOffsets: Int32Array;
  userItems: Int32Array;
  userFactors: Float64Array;
  itemFactors: Float64Array;
  itemBias: Float64Array;
  lr: number;
  reg: number;
}

/** Runs the triples and returns Σ −ln σ(x_uij) (before each step) and the triples used. */
export function bprSgd(state: BprState, samples: number, seed: number): [number, number] {
  const { factors: f, nItems, interactionUser, userOffsets, userItems } = state;
  const { userFactors: P, itemFactors: Q, itemBias: B, lr, reg } = state;
  const nnz = userItems.length;
  // xoshiro128** state from splitmix32 of the seed
  let x = seed >>> 0;
  const split = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = split(), s1 = split(), s2 = split(), s3 = split();
  const next = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  // an integer in [0, n) from one 32-bit draw (multiply and floor, as Lemire's method without
  // its rejection step: each value has probability 1/n within n / 2^32, 0.6% for n = 24 M)
  const below = (n: number) => Math.floor(next() * INV_2_32 * n);
  let loss = 0;
  let used = 0;
  for (let s = 0; s < samples; s++) {
    const e = below(nnz);
    const u = interactionUser[e];
    const i = userItems[e];
    const start = userOffsets[u];
    const end = userOffsets[u + 1];
    if (end - start >= nItems) continue;
    let j: number;
    do j = below(nItems); while (contains(userItems, start, end, j));
    const pu = u * f;
    const qi = i * f;
    const qj = j * f;
    let s0 = 0;
    let s1 = 0;
    let k = 0;
    for (; k + 1 < f; k += 2) {
      s0 += P[pu + k] * (Q[qi + k] - Q[qj + k]);
      s1 += P[pu + k + 1] * (Q[qi + k + 1] - Q[qj + k + 1]);
    }
    if (k < f) s0 += P[pu + k] * (Q[qi + k] - Q[qj + k]);
    const score = (B[i] - B[j]) + (s0 + s1);
    // −ln σ(x) = ln(1 + e^−x) and the gradient weight σ(−x) = e^−x / (1 + e^−x), from one
    // exponential; e^−x overflows only for x < −709, where −ln σ(x) = −x to double precision
    const ex = Math.exp(-score);
    loss += ex === Infinity ? -score : Math.log1p(ex);
    const g = ex === Infinity ? 1 : ex / (1 + ex);
    used++;
    B[i] += lr * (g - reg * B[i]);
    B[j] += lr * (-g - reg * B[j]);
    for (let k = 0; k < f; k++) {
      const wu = P[pu + k];
      const hi = Q[qi + k];
      const hj = Q[qj + k];
      P[pu + k] += lr * (g * (hi - hj) - reg * wu);
      Q[qi + k] += lr * (g * wu - reg * hi);
      Q[qj + k] += lr * (-g * wu - reg * hj);
    }
  }
  return [loss, used];
}

const INV_2_32 = 1 / 4294967296;

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}

/** Binary search for `item` in the ascending values[start .. end). */
function contains(values: Int32Array, start: number, end: number, item: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid];
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Triples per seeded slice, between progress reports. */
const SLICE = 1 << 18;

/**
 * `samples` triples in slices of 2^18, each slice its own stream seeded from `seed` and its
 * number (so a slice's triples do not depend on who runs it); `onSlice(triples)` after each.
 */
export function bprSlices(
  state: BprState,
  samples: number,
  seed: number,
  onSlice: (triples: number) => void,
): [number, number] {
  let loss = 0;
  let used = 0;
  for (let done = 0, slice = 0; done < samples; slice++) {
    const n = Math.min(SLICE, samples - done);
    const [l, u] = bprSgd(state, n, deriveSeed(seed, `slice-${slice}`));
    loss += l;
    used += u;
    done += n;
    onSlice(n);
  }
  return [loss, used];
}

/** The user of each interaction of X by user. */
export function interactionUsers(userOffsets: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  for (let u = 0; u + 1 < userOffsets.length; u++) {
    out.fill(u, userOffsets[u], userOffsets[u + 1]);
  }
  return out;
}
