/** Parameter storage: Float64 for the exact Surprise replay, Float32 to halve memory at scale. */
export type Vec = Float32Array | Float64Array;

export type Precision = "float32" | "float64";

/**
 * The learned parameters of SVD / SVD++ in inner-id space (see trainset.ts): row-major
 * factor matrices of `factors` columns.
 */
export interface FactorModel {
  factors: number;
  /** global mean of the training ratings (an unbiased SVD uses it only as the fallback) */
  mu: number;
  /** whether biases are used (false only for Surprise's `SVD(biased=False)`) */
  biased: boolean;
  bu: Vec;
  bi: Vec;
  /** user factors, nUsers x factors */
  pu: Vec;
  /** item factors, nItems x factors */
  qi: Vec;
  /** SVD++ implicit-feedback item factors, nItems x factors; null for SVD */
  yj: Vec | null;
}

export function allocate(precision: Precision, length: number): Vec {
  return precision === "float32" ? new Float32Array(length) : new Float64Array(length);
}
