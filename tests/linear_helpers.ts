/** Shared by the EASE, PureSVD and dense-inverse tests: toy data and dense references. */
import type { StepContext, TrainData } from "../models/model.ts";

export function trainData(
  rows: Array<[number, number, number]>,
  nUsers: number,
  nItems: number,
): TrainData {
  return {
    ratings: {
      user: Int32Array.from(rows, (r) => r[0]),
      item: Int32Array.from(rows, (r) => r[1]),
      rating: Float32Array.from(rows, (r) => r[2]),
      userIds: Int32Array.from({ length: nUsers }, (_, u) => u),
      itemIds: Int32Array.from({ length: nItems }, (_, i) => i),
    },
    train: Int32Array.from(rows.keys()),
    dev: new Int32Array(0),
    nUsers,
    nItems,
    scale: [1, 10],
  };
}

/** Rows of a random binary matrix: each (user, item) present with probability `density`. */
export function randomRows(
  nUsers: number,
  nItems: number,
  density: number,
  random: () => number,
): Array<[number, number, number]> {
  const rows: Array<[number, number, number]> = [];
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) if (random() < density) rows.push([u, i, 5]);
  }
  return rows;
}

/** The dense binary X (users x items, row-major) of `rows`. */
export function denseX(rows: Array<[number, number, number]>, nUsers: number, nItems: number) {
  const x = new Float64Array(nUsers * nItems);
  for (const [u, i] of rows) x[u * nItems + i] = 1;
  return x;
}

/** X^T X + lambda I, dense. */
export function gram(x: Float64Array, nUsers: number, nItems: number, lambda: number) {
  const g = new Float64Array(nItems * nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      if (!x[u * nItems + i]) continue;
      for (let j = 0; j < nItems; j++) g[i * nItems + j] += x[u * nItems + j];
    }
  }
  for (let i = 0; i < nItems; i++) g[i * nItems + i] += lambda;
  return g;
}

/** A^-1 by Gauss-Jordan elimination with partial pivoting (the test's own direct solve). */
export function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(m[r * n + c]) > Math.abs(m[pivot * n + c])) pivot = r;
    }
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[pivot * n + k]] = [m[pivot * n + k], m[c * n + k]];
      [inv[c * n + k], inv[pivot * n + k]] = [inv[pivot * n + k], inv[c * n + k]];
    }
    const d = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

/** Exclude-seen top-k by brute force: sort every unseen candidate by score, then index. */
export function bruteTopK(
  scores: ArrayLike<number>,
  k: number,
  allowed: (item: number) => boolean,
) {
  return Array.from({ length: scores.length }, (_, i) => i)
    .filter(allowed)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

export const quietContext: StepContext = {
  seed: 7,
  rng: "seeded",
  progress() {},
  log() {},
};

/** The CSR of each user's items, for RecommendRequest.exclude. */
export function seenItems(rows: Array<[number, number, number]>, nUsers: number) {
  const sets = Array.from({ length: nUsers }, () => new Set<number>());
  for (const [u, i] of rows) sets[u].add(i);
  const offsets = new Int32Array(nUsers + 1);
  const values: number[] = [];
  sets.forEach((set, u) => {
    values.push(...[...set].sort((a, b) => a - b));
    offsets[u + 1] = values.length;
  });
  return { offsets, values: Int32Array.from(values), sets };
}
