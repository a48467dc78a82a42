/**
 * Right-padded [batch, sequence] token ids and padding mask for chosen texts of a tokenized
 * set, padded to the longest chosen text: the input of one tfjs forward pass.
 */
import type { TokenBatch } from "./tfjs_bert.ts";
import type { TokenizedTexts } from "./tokenizer.ts";

export function tokenBatch(tokens: TokenizedTexts, rows: ArrayLike<number>): TokenBatch {
  let sequence = 0;
  for (let b = 0; b < rows.length; b++) {
    sequence = Math.max(sequence, tokens.offsets[rows[b] + 1] - tokens.offsets[rows[b]]);
  }
  const batch = rows.length;
  const ids = new Int32Array(batch * sequence);
  const mask = new Float32Array(batch * sequence);
  for (let b = 0; b < batch; b++) {
    const start = tokens.offsets[rows[b]];
    const length = tokens.offsets[rows[b] + 1] - start;
    ids.set(tokens.ids.subarray(start, start + length), b * sequence);
    mask.fill(1, b * sequence, b * sequence + length);
  }
  return { batch, sequence, ids, mask };
}
