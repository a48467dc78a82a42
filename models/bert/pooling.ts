/**
 * Sentence vectors from the encoder's token states: the [CLS] state or the mean over the
 * real (non-padding) tokens. Rows are right-padded, so a row's real tokens are its first
 * `length` positions.
 */

export type Pooling = "cls" | "mean";

/**
 * Pools `states` ([batch, sequence, hidden], row-major) and writes row b's vector at
 * out[rows[b] * hidden], putting batch rows back in their original order.
 */
export function poolInto(
  out: Float32Array,
  states: Float32Array,
  sequence: number,
  hidden: number,
  rows: Int32Array,
  lengths: Int32Array,
  pooling: Pooling,
): void {
  for (let b = 0; b < rows.length; b++) {
    const target = rows[b] * hidden;
    const rowStart = b * sequence * hidden;
    if (pooling === "cls") {
      out.set(states.subarray(rowStart, rowStart + hidden), target);
      continue;
    }
    const length = lengths[b];
    for (let h = 0; h < hidden; h++) out[target + h] = 0;
    for (let t = 0; t < length; t++) {
      const token = rowStart + t * hidden;
      for (let h = 0; h < hidden; h++) out[target + h] += states[token + h];
    }
    const scale = 1 / Math.max(length, 1);
    for (let h = 0; h < hidden; h++) out[target + h] *= scale;
  }
}
