/**
 * The inverse of a dense symmetric positive-definite matrix, in place, by blocks of BLOCK:
 *
 *   1. Cholesky G = L L^T, right-looking: factor the diagonal block, solve the panel below it
 *      (as a product with the inverse of the diagonal factor), subtract the panel's outer
 *      product from the trailing lower triangle.
 *   2. W = L^-1, right-looking forward substitution of L W = I: row block k of W is
 *      L_kk^-1 times what the earlier blocks left in it; then the column of L below the
 *      diagonal (no longer needed) is swapped for zeros and its product with row block k of W
 *      is subtracted from the rows below.
 *   3. P = W^T W (LAPACK's lauum), right-looking: row block K of W adds its outer product
 *      to the leading lower triangle.
 *
 * Each step is about n^3 / 3 multiply-adds, nearly all in the panel kernel (panel_kernel.ts),
 * through update jobs (update_jobs.ts). Diagonal blocks are factored and inverted in Float64
 * in plain JavaScript (BLOCK^3 per step). The caller fills the lower triangle of the leading
 * n x n of the workspace; on return the lower triangle (and each diagonal block whole) holds
 * G^-1. Padding rows and columns are set to the identity, which leaves G's inverse unchanged.
 */
import { BLOCK, type DenseWorkspace } from "./dense_workspace.ts";
import { MR, nrOf } from "./panel_kernel.ts";
import type { JobRunner } from "./update_jobs.ts";
import { UpdateJobs } from "./update_jobs.ts";

export class NotPositiveDefinite extends Error {}

/** Multiply-adds of the whole inverse (n^3 flops counting a multiply-add as two). */
export const inverseFlops = (n: number) => n * n * n;

/** `stop: "cholesky"`: only step 1, leaving the factor L in the lower triangle (a solve's need). */
export async function invertSpd(
  ws: DenseWorkspace,
  runner: JobRunner,
  onProgress?: (done: number, total: number) => void,
  stop: "inverse" | "cholesky" = "inverse",
): Promise<void> {
  const { view, layout } = ws;
  const { n, ld, packA, packB, packDiagA, packDiagB } = layout;
  const nr = nrOf(layout.precision);
  const blocks = ld / BLOCK;
  padWithIdentity(view, n, ld);
  const jobs = new UpdateJobs(1024, runner.threads > 1);
  const diagInverses = new Float64Array(blocks * BLOCK * BLOCK);
  const diag = new Float64Array(BLOCK * BLOCK);
  const steps = (stop === "cholesky" ? 1 : 3) * blocks;
  let step = 0;
  const run = async () => {
    if (jobs.count) await runner.run(jobs);
    jobs.clear();
  };
  const stepDone = () => onProgress?.(++step, steps);

  // 1. Cholesky.
  for (let k = 0; k < blocks; k++) {
    const o = k * BLOCK;
    const below = ld - o - BLOCK;
    readLower(view, o * ld + o, ld, diag);
    choleskyInPlace(diag, o);
    writeLower(view, o * ld + o, ld, diag);
    const inverse = diagInverses.subarray(k * BLOCK * BLOCK, (k + 1) * BLOCK * BLOCK);
    invertLowerInPlace(diag, inverse);
    if (below > 0) {
      // L_below = A_below . L_kk^-T: B[j, kk] = L_kk^-1[j, kk]
      const panel = (o + BLOCK) * ld + o;
      pack(view, packA, panel, below, ld, 1, MR);
      zero(view, panel, below, BLOCK, ld);
      packFrom(view, packDiagB, inverse, nr);
      for (let i = 0; i < below; i += BLOCK) {
        jobs.add(
          panel + i * ld,
          ld,
          packA + i * BLOCK,
          packDiagB,
          BLOCK / MR,
          BLOCK / nr,
          BLOCK,
          false,
          nr,
        );
      }
      await run();
      pack(view, packA, panel, below, ld, 1, MR);
      pack(view, packB, panel, below, ld, 1, nr);
      for (let i = 0; i < below; i += BLOCK) {
        const c = (o + BLOCK + i) * ld + o + BLOCK;
        jobs.add(c, ld, packA + i * BLOCK, packB, BLOCK / MR, (i + BLOCK) / nr, BLOCK, true, nr);
      }
      await run();
    }
    stepDone();
  }
  if (stop === "cholesky") return;

  // 2. W = L^-1.
  for (let k = 0; k < blocks; k++) {
    const o = k * BLOCK;
    const below = ld - o - BLOCK;
    const inverse = diagInverses.subarray(k * BLOCK * BLOCK, (k + 1) * BLOCK * BLOCK);
    if (k > 0) {
      // W_k,<k = L_kk^-1 . (row block k): A = L_kk^-1, B[c, kk] = row[kk, c]
      packFrom(view, packDiagA, inverse, MR);
      pack(view, packB, o * ld, o, 1, ld, nr);
      zero(view, o * ld, BLOCK, o, ld);
      jobs.add(o * ld, ld, packDiagA, packB, BLOCK / MR, o / nr, BLOCK, false, nr);
      await run();
    }
    diag.set(inverse);
    writeLower(view, o * ld + o, ld, diag);
    if (below > 0) {
      const panel = (o + BLOCK) * ld + o;
      pack(view, packA, panel, below, ld, 1, MR);
      zero(view, panel, below, BLOCK, ld);
      pack(view, packB, o * ld, o + BLOCK, 1, ld, nr);
      for (let i = 0; i < below; i += BLOCK) {
        const c = (o + BLOCK + i) * ld;
        jobs.add(c, ld, packA + i * BLOCK, packB, BLOCK / MR, (o + BLOCK) / nr, BLOCK, true, nr);
      }
      await run();
    }
    stepDone();
  }

  // 3. P = W^T W.
  for (let k = 0; k < blocks; k++) {
    const o = k * BLOCK;
    const width = o + BLOCK;
    pack(view, packA, o * ld, width, 1, ld, MR);
    pack(view, packB, o * ld, width, 1, ld, nr);
    zero(view, o * ld, BLOCK, width, ld);
    for (let i = 0; i < width; i += BLOCK) {
      jobs.add(
        i * ld,
        ld,
        packA + i * BLOCK,
        packB,
        BLOCK / MR,
        (i + BLOCK) / nr,
        BLOCK,
        false,
        nr,
      );
    }
    await run();
    stepDone();
  }
}

/** Copies the lower triangle to the upper one, so every row of the leading n x n is whole. */
export function symmetrize(ws: DenseWorkspace): void {
  const { view, layout: { n, ld } } = ws;
  const T = 64;
  for (let bi = 0; bi < n; bi += T) {
    for (let bj = 0; bj <= bi; bj += T) {
      for (let i = bi; i < Math.min(n, bi + T); i++) {
        for (let j = bj; j < Math.min(i, bj + T); j++) view[j * ld + i] = view[i * ld + j];
      }
    }
  }
}

function padWithIdentity(view: Float32Array | Float64Array, n: number, ld: number): void {
  for (let i = n; i < ld; i++) {
    view.fill(0, i * ld, i * ld + ld);
    view[i * ld + i] = 1;
  }
  for (let i = 0; i < n; i++) view.fill(0, i * ld + n, i * ld + ld);
}

/**
 * Packs `rows` x BLOCK values into strips of `strip` rows: dest[s][kk][r] = value(s strip + r,
 * kk), value(i, kk) = view[src + i * rowStride + kk * colStride].
 */
function pack(
  view: Float32Array | Float64Array,
  dest: number,
  src: number,
  rows: number,
  rowStride: number,
  colStride: number,
  strip: number,
): void {
  let at = dest;
  for (let s = 0; s < rows; s += strip) {
    for (let kk = 0; kk < BLOCK; kk++) {
      let from = src + s * rowStride + kk * colStride;
      for (let r = 0; r < strip; r++, from += rowStride) view[at++] = view[from];
    }
  }
}

/** pack() of a BLOCK x BLOCK row-major Float64Array block (a diagonal factor's inverse). */
function packFrom(
  view: Float32Array | Float64Array,
  dest: number,
  block: Float64Array,
  strip: number,
): void {
  let at = dest;
  for (let s = 0; s < BLOCK; s += strip) {
    for (let kk = 0; kk < BLOCK; kk++) {
      for (let r = 0; r < strip; r++) view[at++] = block[(s + r) * BLOCK + kk];
    }
  }
}

function zero(
  view: Float32Array | Float64Array,
  at: number,
  rows: number,
  cols: number,
  ld: number,
) {
  for (let r = 0; r < rows; r++) view.fill(0, at + r * ld, at + r * ld + cols);
}

/** The diagonal block's lower triangle into a Float64Array, zeros above. */
function readLower(view: Float32Array | Float64Array, at: number, ld: number, out: Float64Array) {
  for (let i = 0; i < BLOCK; i++) {
    for (let j = 0; j < BLOCK; j++) out[i * BLOCK + j] = j <= i ? view[at + i * ld + j] : 0;
  }
}

function writeLower(
  view: Float32Array | Float64Array,
  at: number,
  ld: number,
  block: Float64Array,
) {
  for (let i = 0; i < BLOCK; i++) {
    for (let j = 0; j < BLOCK; j++) view[at + i * ld + j] = j <= i ? block[i * BLOCK + j] : 0;
  }
}

/** Unblocked Cholesky of the lower triangle (row-oriented); `offset` names the rows in errors. */
function choleskyInPlace(a: Float64Array, offset: number): void {
  for (let j = 0; j < BLOCK; j++) {
    let d = a[j * BLOCK + j];
    for (let k = 0; k < j; k++) d -= a[j * BLOCK + k] * a[j * BLOCK + k];
    if (!(d > 0)) {
      throw new NotPositiveDefinite(
        `the matrix is not positive definite (pivot ${d} at row ${offset + j})`,
      );
    }
    const root = Math.sqrt(d);
    a[j * BLOCK + j] = root;
    for (let i = j + 1; i < BLOCK; i++) {
      let s = a[i * BLOCK + j];
      for (let k = 0; k < j; k++) s -= a[i * BLOCK + k] * a[j * BLOCK + k];
      a[i * BLOCK + j] = s / root;
    }
  }
}

/** out = L^-1 for lower-triangular L (forward substitution column by column). */
function invertLowerInPlace(l: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < BLOCK; j++) {
    out[j * BLOCK + j] = 1 / l[j * BLOCK + j];
    for (let i = j + 1; i < BLOCK; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * BLOCK + k] * out[k * BLOCK + j];
      out[i * BLOCK + j] = s / l[i * BLOCK + i];
    }
  }
}
