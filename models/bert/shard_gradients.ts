/**
 * The gradient of one shard of a training batch: the summed (not averaged) squared error of
 * the shard's rows and its gradient for every trained variable, read out as Float32Arrays.
 * A batch is always cut into the same shards, in two groups whose gradients are summed in
 * shard order and then added, so the update is bit-identical whether one thread computes
 * both groups or a worker computes the second (data_parallel.ts): the same wasm code sees
 * the same inputs and the sums run in the same order either way.
 */
import type { FinetuneModel } from "./finetune_model.ts";
import type { Tensor2D } from "./heavy_packages.ts";
import type { TokenBatch } from "./tfjs_bert.ts";
import { readFloatsAsync } from "./tfjs_backend.ts";

/**
 * Tokens per shard at most: bounds each thread's activations (each thread's wasm heap keeps
 * its peak), so two threads need no more memory than one thread did for the whole batch.
 */
export const SHARD_TOKENS = 1024;

export interface Shard {
  tokens: TokenBatch;
  /** the states entering the trained layers, [batch * sequence, hidden]; null: token ids */
  states: Float32Array | null;
  /** standardized targets, one per row */
  target: Float32Array;
}

/**
 * How many shards a batch of `batch` sequences padded to `sequence` tokens is cut into: an
 * even count (two groups, one per thread) of at most SHARD_TOKENS tokens each, never more
 * than the rows. It depends on the batch only, never on the thread count.
 */
export function shardCount(batch: number, sequence: number): number {
  return Math.min(batch, 2 * Math.ceil((batch * sequence) / (2 * SHARD_TOKENS)));
}

/** Cuts `rows` (padded to `sequence` tokens) into consecutive, nearly equal shards. */
export function shardRows(rows: Int32Array, sequence: number): Int32Array[] {
  const count = shardCount(rows.length, sequence);
  const out: Int32Array[] = [];
  for (let s = 0; s < count; s++) {
    out.push(
      rows.subarray(Math.floor(s * rows.length / count), Math.floor((s + 1) * rows.length / count)),
    );
  }
  return out;
}

/**
 * The summed squared error of a group of shards (added in shard order) and their gradients,
 * summed in shard order into `into` (one array per trained variable, in model order).
 */
export async function groupGradients(
  model: FinetuneModel,
  shards: Shard[],
  pooling: "cls" | "mean",
  into: Float32Array[],
): Promise<number> {
  let loss = 0;
  for (let s = 0; s < shards.length; s++) {
    loss += await shardGradients(model, shards[s], pooling, into, s > 0);
  }
  return loss;
}

/** The shard's summed squared error; its gradients written (or added) into `into`. */
async function shardGradients(
  model: FinetuneModel,
  shard: Shard,
  pooling: "cls" | "mean",
  into: Float32Array[],
  add: boolean,
): Promise<number> {
  const { tf, bert } = model;
  const { tokens, states, target } = shard;
  const { value, grads } = tf.variableGrads(() => {
    const x = states
      ? tf.tensor2d(states, [
        tokens.batch * tokens.sequence,
        states.length / (tokens.batch * tokens.sequence),
      ])
      : bert.embed(tokens);
    const pred = model.predict(x as Tensor2D, tokens, pooling);
    return tf.sum(tf.squaredDifference(pred, tf.tensor2d(target, [tokens.batch, 1])));
  }, model.variables);
  const loss = (await value.data())[0];
  for (const [i, v] of model.variables.entries()) {
    // a wasm-heap view: read before the next tfjs call
    const g = await readFloatsAsync(tf, grads[v.name]);
    const sum = into[i];
    if (!add) sum.set(g);
    else for (let j = 0; j < sum.length; j++) sum[j] += g[j];
  }
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}
