import type { PerUserValues } from "../run_folder/per_user_values.ts";

/**
 * The users both runs scored on a metric, joined on user_id (and on the fold, for the
 * pooled folds of k-fold runs): `other[i]` and `baseline[i]` belong to one user. Users
 * missing from either run, or NaN in either, are dropped.
 */
export function pairOnUsers(
  baseline: PerUserValues,
  other: PerUserValues,
  metric: string,
): { baseline: Float64Array; other: Float64Array } {
  const baseValues = baseline.metrics.get(metric)!;
  const otherValues = other.metrics.get(metric)!;
  const rowOfUser = new Map<number, number>();
  for (let i = 0; i < baseline.userId.length; i++) {
    if (!Number.isNaN(baseValues[i])) rowOfUser.set(rowKey(baseline, i), i);
  }
  const pairedBase = new Float64Array(other.userId.length);
  const pairedOther = new Float64Array(pairedBase.length);
  let n = 0;
  for (let j = 0; j < other.userId.length; j++) {
    const value = otherValues[j];
    if (Number.isNaN(value)) continue;
    const i = rowOfUser.get(rowKey(other, j));
    if (i === undefined) continue;
    pairedBase[n] = baseValues[i];
    pairedOther[n++] = value;
  }
  return { baseline: pairedBase.subarray(0, n), other: pairedOther.subarray(0, n) };
}

/** (fold, user) as one exact number: folds are small, user ids 32-bit. */
function rowKey(values: PerUserValues, row: number): number {
  return (values.fold?.[row] ?? 0) * 2 ** 32 + (values.userId[row] >>> 0);
}
