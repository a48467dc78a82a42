/**
 * a[ai .. ai+n) · b[bi .. bi+n) with four running sums (then added pairwise): a single sum
 * waits on each addition's latency, four keep the floating-point unit busy. The order of
 * additions is fixed, so the result is the same on every run and thread.
 */
export function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ai + k] * b[bi + k];
    s1 += a[ai + k + 1] * b[bi + k + 1];
    s2 += a[ai + k + 2] * b[bi + k + 2];
    s3 += a[ai + k + 3] * b[bi + k + 3];
  }
  for (; k < n; k++) s0 += a[ai + k] * b[bi + k];
  return (s0 + s1) + (s2 + s3);
}
