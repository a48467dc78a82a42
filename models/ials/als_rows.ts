/**
 * One half of an iALS epoch for a range of rows: each row (a user, or an item) gets the
 * vector x minimising Σ_j c_rj (p_rj − x·y_j)² + λ_r‖x‖² with the other side's factors Y
 * fixed, i.e. the solution of
 *   (YᵀY + Σ_{j∈row} α y_j y_jᵀ + λ_r I) x = Σ_{j∈row} (1 + α) y_j
 * (Hu et al. 2008: C_r − I is α on the row's interactions and 0 elsewhere, p_rj = 1 there).
 * YᵀY (the Gramian) is computed once per half-epoch by the caller, so a row costs
 * O(n_r f² + f³) with Cholesky, O(steps (n_r f + f²)) with conjugate gradient.
 *
 * Each row depends only on Y, the Gramian and its own interactions (and, for cg, its own
 * previous vector), so any split of the rows between threads gives the same bits.
 */
import { choleskyFactor, choleskySolveInPlace } from "./dense_solve.ts";
import { dot } from "./dot.ts";
import type { RowKernels } from "./wasm_rows.ts";

export const SOLVERS = ["cholesky", "cg"] as const;

export interface AlsSide {
  factors: number;
  /** the rows being solved: row r's interactions are indices[offsets[r] .. offsets[r+1]) */
  offsets: Int32Array;
  indices: Int32Array;
  /** rows x factors, overwritten; the starting point of cg */
  solved: Float64Array;
  /** the fixed side, one row per index */
  fixed: Float64Array;
  /** YᵀY of `fixed`, factors x factors */
  gram: Float64Array;
  alpha: number;
  /** λ_r = reg · (fixedRows + α n_r)^regExponent when frequencyScaled, else reg */
  reg: number;
  frequencyScaled: boolean;
  regExponent: number;
  /** rows of the fixed side (|I| when solving users) */
  fixedRows: number;
  /** 0: Cholesky, 1: conjugate gradient */
  solver: number;
  cgSteps: number;
  /**
   * where each row's share of the training loss goes, computed with its new vector, or null:
   *   xᵀ(YᵀY)x + Σ_j [(1+α)(1 − x·y_j)² − (x·y_j)²] + λ_r‖x‖²
   * (the first two terms are Σ over every column j of c_rj (p_rj − x·y_j)²)
   */
  loss: Float64Array | null;
}

/** Working memory of one thread. */
export interface AlsScratch {
  a: Float64Array;
  b: Float64Array;
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  tmp: Float64Array;
  /**
   * the SIMD kernels (wasm_rows.ts), or null for the scalar loops; with kernels, the side's
   * arrays and r, p, ap, tmp must be views of the kernels' memory (als_memory.ts)
   */
  kernels: RowKernels | null;
}

/** Scratch vectors of one thread in a kernel memory (als_memory.ts), or plain arrays. */
export type ScratchVectors = Pick<AlsScratch, "r" | "p" | "ap" | "tmp">;

export function alsScratch(
  factors: number,
  kernels: RowKernels | null = null,
  vectors?: ScratchVectors,
): AlsScratch {
  if (kernels !== null && vectors === undefined) {
    throw new Error("alsScratch: the kernels need scratch vectors in their memory");
  }
  return {
    a: new Float64Array(factors * factors),
    b: new Float64Array(factors),
    r: vectors?.r ?? new Float64Array(factors),
    p: vectors?.p ?? new Float64Array(factors),
    ap: vectors?.ap ?? new Float64Array(factors),
    tmp: vectors?.tmp ?? new Float64Array(factors),
    kernels,
  };
}

/** λ of a row with n interactions. */
export function rowReg(side: AlsSide, n: number): number {
  if (!side.frequencyScaled) return side.reg;
  return side.reg * Math.pow(side.fixedRows + side.alpha * n, side.regExponent);
}

/** Solves rows from .. to-1 of `side` in place (and writes their loss terms). */
export function solveRows(side: AlsSide, scratch: AlsScratch, from: number, to: number): void {
  for (let row = from; row < to; row++) {
    const lambda = rowReg(side, side.offsets[row + 1] - side.offsets[row]);
    if (side.solver === 0) choleskyRow(side, scratch, row, lambda);
    else if (scratch.kernels !== null) cgRowKernels(side, scratch, scratch.kernels, row, lambda);
    else cgRow(side, scratch, row, lambda);
    if (side.loss === null) continue;
    side.loss[row] = scratch.kernels === null
      ? rowLoss(side, row, lambda)
      : rowLossKernels(side, scratch, scratch.kernels, row, lambda);
  }
}

function choleskyRow(side: AlsSide, s: AlsScratch, row: number, lambda: number): void {
  const { factors: f, offsets, indices, fixed, gram, alpha } = side;
  const { a, b } = s;
  const confidence = 1 + alpha;
  // lower triangle of A = YᵀY + λI + Σ α y yᵀ, and b = Σ (1 + α) y
  for (let i = 0; i < f; i++) {
    for (let j = 0; j <= i; j++) a[i * f + j] = gram[i * f + j];
    a[i * f + i] += lambda;
    b[i] = 0;
  }
  for (let e = offsets[row]; e < offsets[row + 1]; e++) {
    const y = indices[e] * f;
    for (let i = 0; i < f; i++) {
      const ay = alpha * fixed[y + i];
      const rowI = i * f;
      for (let j = 0; j <= i; j++) a[rowI + j] += ay * fixed[y + j];
      b[i] += confidence * fixed[y + i];
    }
  }
  if (!choleskyFactor(a, f)) {
    throw new Error(`ials: row ${row}'s system is not positive definite; raise reg`);
  }
  choleskySolveInPlace(a, f, b);
  side.solved.set(b, row * f);
}

/**
 * Conjugate gradient on the row's system from its current vector (as the `implicit` library
 * and Takács et al. 2011 do), A applied without forming it: A p = YᵀY p + λ p + Σ α (y·p) y.
 */
function cgRow(side: AlsSide, s: AlsScratch, row: number, lambda: number): void {
  const { factors: f, offsets, indices, fixed, gram, alpha, solved } = side;
  const { r, p, ap } = s;
  const x = row * f;
  const start = offsets[row];
  const end = offsets[row + 1];
  const confidence = 1 + alpha;
  // r = b − A x = Σ ((1 + α) − α y·x) y − YᵀY x − λ x
  for (let i = 0; i < f; i++) r[i] = -dot(gram, i * f, solved, x, f) - lambda * solved[x + i];
  for (let e = start; e < end; e++) {
    const y = indices[e] * f;
    const weight = confidence - alpha * dot(fixed, y, solved, x, f);
    for (let i = 0; i < f; i++) r[i] += weight * fixed[y + i];
  }
  let rs = 0;
  for (let i = 0; i < f; i++) {
    p[i] = r[i];
    rs += r[i] * r[i];
  }
  for (let step = 0; step < side.cgSteps && rs > 1e-30; step++) {
    for (let i = 0; i < f; i++) ap[i] = dot(gram, i * f, p, 0, f) + lambda * p[i];
    for (let e = start; e < end; e++) {
      const y = indices[e] * f;
      const weight = alpha * dot(fixed, y, p, 0, f);
      for (let i = 0; i < f; i++) ap[i] += weight * fixed[y + i];
    }
    const next = cgUpdate(solved, x, r, p, ap, f, rs);
    if (next < 0) break;
    rs = next;
  }
}

/** cgRow with the SIMD kernels for the products with YᵀY and with the row's y_j. */
function cgRowKernels(
  side: AlsSide,
  s: AlsScratch,
  k: RowKernels,
  row: number,
  lambda: number,
): void {
  const { factors: f, offsets, alpha, solved } = side;
  const { r, p, ap } = s;
  const x = row * f;
  const xAt = solved.byteOffset + x * 8;
  const [gram, fixed, indices] = [
    side.gram.byteOffset,
    side.fixed.byteOffset,
    side.indices.byteOffset,
  ];
  const start = offsets[row];
  const end = offsets[row + 1];
  k.dots(gram, f, xAt, r.byteOffset);
  for (let i = 0; i < f; i++) r[i] = -r[i] - lambda * solved[x + i];
  k.accumulate(fixed, indices, start, end, xAt, r.byteOffset, 1 + alpha, -alpha);
  let rs = 0;
  for (let i = 0; i < f; i++) {
    p[i] = r[i];
    rs += r[i] * r[i];
  }
  for (let step = 0; step < side.cgSteps && rs > 1e-30; step++) {
    k.dots(gram, f, p.byteOffset, ap.byteOffset);
    for (let i = 0; i < f; i++) ap[i] += lambda * p[i];
    k.accumulate(fixed, indices, start, end, p.byteOffset, ap.byteOffset, 0, alpha);
    const next = cgUpdate(solved, x, r, p, ap, f, rs);
    if (next < 0) break;
    rs = next;
  }
}

function rowLossKernels(
  side: AlsSide,
  s: AlsScratch,
  k: RowKernels,
  row: number,
  lambda: number,
): number {
  const { factors: f, offsets, alpha, solved } = side;
  const x = row * f;
  const xAt = solved.byteOffset + x * 8;
  k.dots(side.gram.byteOffset, f, xAt, s.tmp.byteOffset);
  let quadratic = 0;
  let norm = 0;
  for (let i = 0; i < f; i++) {
    quadratic += solved[x + i] * s.tmp[i];
    norm += solved[x + i] * solved[x + i];
  }
  const fixed = side.fixed.byteOffset;
  const observed = k.observed(
    fixed,
    side.indices.byteOffset,
    offsets[row],
    offsets[row + 1],
    xAt,
    1 + alpha,
  );
  return quadratic + observed + lambda * norm;
}

function rowLoss(side: AlsSide, row: number, lambda: number): number {
  const { factors: f, offsets, indices, fixed, gram, alpha, solved } = side;
  const x = row * f;
  let quadratic = 0;
  let norm = 0;
  for (let i = 0; i < f; i++) {
    quadratic += solved[x + i] * dot(gram, i * f, solved, x, f);
    norm += solved[x + i] * solved[x + i];
  }
  let observed = 0;
  for (let e = offsets[row]; e < offsets[row + 1]; e++) {
    const s = dot(fixed, indices[e] * f, solved, x, f);
    observed += (1 + alpha) * (1 - s) * (1 - s) - s * s;
  }
  return quadratic + observed + lambda * norm;
}

/** YᵀY of `rows` (count x f), full symmetric, summed row by row in index order. */
export function gramian(rows: Float64Array, count: number, f: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < count; r++) {
    const base = r * f;
    for (let i = 0; i < f; i++) {
      const v = rows[base + i];
      if (v === 0) continue;
      for (let j = 0; j <= i; j++) out[i * f + j] += v * rows[base + j];
    }
  }
  for (let i = 0; i < f; i++) for (let j = 0; j < i; j++) out[j * f + i] = out[i * f + j];
}

/**
 * The rest of one conjugate-gradient step once A·p is known (both row solvers): x += a·p,
 * r -= a·A·p, p = r + b·p with a = r·r / pᵀAp and b = r'·r' / r·r. Returns the new r·r, or -1
 * when pᵀAp is not positive (the solve stops there).
 */
function cgUpdate(
  solved: Float64Array,
  x: number,
  r: Float64Array,
  p: Float64Array,
  ap: Float64Array,
  f: number,
  rs: number,
): number {
  let pap = 0;
  for (let i = 0; i < f; i++) pap += p[i] * ap[i];
  if (!(pap > 0)) return -1;
  const step = rs / pap;
  let rsNext = 0;
  for (let i = 0; i < f; i++) {
    solved[x + i] += step * p[i];
    r[i] -= step * ap[i];
    rsNext += r[i] * r[i];
  }
  const beta = rsNext / rs;
  for (let i = 0; i < f; i++) p[i] = r[i] + beta * p[i];
  return rsNext;
}
