/**
 * Ridge regression (Hoerl & Kennard 1970) in closed form for each penalty of a list:
 *
 *   w = argmin |y - b - X w|^2 + lambda |w|^2,  the intercept b unpenalised,
 *
 * from the centred design (gram.ts): primal w = (X_c^T X_c + lambda I)^-1 X_c^T y_c, or dual
 * alpha = (X_c X_c^T + lambda I)^-1 y_c, w = X_c^T alpha; then b = mean(y) - mu . w. The
 * Gram matrix is built once; each lambda factors its shifted copy with the blocked Cholesky
 * of models/linalg (a WebAssembly SIMD kernel, Float64) and solves by substitution.
 */
import { choleskyInPlace, openWorkspace, solveWithFactor } from "../linalg/mod.ts";
import { centredGram, type RidgeSide, smallerSide } from "./gram.ts";
import { columnMeans, multiplyTransposed, type SparseRows } from "./sparse_rows.ts";

export interface RidgeFit {
  lambda: number;
  weights: Float64Array;
  intercept: number;
}

export interface RidgePath {
  side: RidgeSide;
  /** the order of the matrix factored per lambda */
  order: number;
  /** the kernel the factorisation ran on ("wasm-simd-fma", "js", ...) */
  kernel: string;
  fits: RidgeFit[];
  /** wall seconds building the centred Gram matrix, and factoring + solving for every λ */
  seconds: { gram: number; solves: number };
}

export interface RidgeOptions {
  /** worker threads for the factorisation (results do not depend on it) */
  threads?: number;
  /** force a side (tests compare both); default the smaller one */
  side?: RidgeSide;
  onLambda?: (done: number, total: number) => void;
}

export async function ridgePath(
  x: SparseRows,
  y: Float64Array,
  lambdas: readonly number[],
  options: RidgeOptions = {},
): Promise<RidgePath> {
  if (y.length !== x.rows) throw new Error(`ridge: ${x.rows} rows but ${y.length} targets`);
  if (x.rows === 0) throw new Error("ridge: no training rows");
  const threads = options.threads ?? 1;
  const means = columnMeans(x);
  let yMean = 0;
  for (const v of y) yMean += v;
  yMean /= y.length;
  const centred = Float64Array.from(y, (v) => v - yMean);
  let started = performance.now();
  const gram = centredGram(x, means, options.side ?? smallerSide(x));
  const gramSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const m = gram.order;
  // primal: X_c^T y_c = X^T y_c, as y_c sums to zero
  const rhs = gram.side === "primal" ? multiplyTransposed(x, centred) : centred;
  const ws = openWorkspace(m, "float64", threads > 1);
  const { ld } = ws.layout;
  const view = ws.view;
  const fits: RidgeFit[] = [];
  let kernel = "";
  for (const lambda of lambdas) {
    for (let i = 0; i < m; i++) {
      view.set(gram.lower.subarray(i * m, i * m + i + 1), i * ld);
      view[i * ld + i] += lambda;
    }
    kernel = (await choleskyInPlace(ws, { threads })).kernel;
    const solution = solveWithFactor(ws, rhs);
    let weights: Float64Array;
    if (gram.side === "primal") {
      weights = solution;
    } else {
      // w = X_c^T alpha = X^T alpha - mu sum(alpha)
      weights = multiplyTransposed(x, solution);
      let alphaSum = 0;
      for (const a of solution) alphaSum += a;
      for (let c = 0; c < weights.length; c++) weights[c] -= means[c] * alphaSum;
    }
    let intercept = yMean;
    for (let c = 0; c < weights.length; c++) intercept -= means[c] * weights[c];
    fits.push({ lambda, weights, intercept });
    options.onLambda?.(fits.length, lambdas.length);
  }
  const seconds = { gram: gramSeconds, solves: (performance.now() - started) / 1000 };
  return { side: gram.side, order: m, kernel, fits, seconds };
}
