/**
 * Groups tokenized texts into batches of similar length, so each batch is padded only to
 * its own longest member instead of the global maximum.
 */

export interface LengthBatch {
  /** indices of the texts in this batch (into the original order) */
  rows: Int32Array;
  /** tokens per row after padding: the longest member's length */
  length: number;
}

/**
 * Batches of at most `batch_size` texts, longest first (a memory problem shows on the first
 * batch, and the progress ETA starts pessimistic). Ties keep the original order.
 */
export function lengthBatches(offsets: Int32Array, batch_size: number): LengthBatch[] {
  if (!Number.isInteger(batch_size) || batch_size < 1) {
    throw new Error(`batch_size must be a positive integer, got ${batch_size}`);
  }
  const count = offsets.length - 1;
  const lengths = new Int32Array(count);
  for (let i = 0; i < count; i++) lengths[i] = offsets[i + 1] - offsets[i];
  const order = Int32Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: LengthBatch[] = [];
  for (let start = 0; start < count; start += batch_size) {
    const rows = order.slice(start, Math.min(start + batch_size, count));
    batches.push({ rows, length: lengths[rows[0]] });
  }
  return batches;
}
