/**
 * The gradient of one shard of a training batch: the summed (not averaged) squared error of
 * the shard's rows and its gradient for every trained variable, read out as Float32Arrays.
 * A batch is always cut into the same shards and their gradients added in shard order, so
 * the update is bit-identical whether one thread computes every shard or each runs in its
 * own worker (data_parallel.ts): the same wasm code sees the same inputs either way.
 */
import type { FinetuneModel } from "./finetune_model.ts";
import type { Tensor2D } from "./heavy_packages.ts";
import type { TokenBatch } from "./tfjs_bert.ts";

/** shards per batch: one per core of a 2-core machine, fixed so results never depend on it */
export const GRADIENT_SHARDS = 2;

export interface Shard {
  tokens: TokenBatch;
  /** the states entering the trained layers, [batch * sequence, hidden]; null: token ids */
  states: Float32Array | null;
  /** standardized targets, one per row */
  target: Float32Array;
}

/** Cuts `rows` into at most GRADIENT_SHARDS consecutive, nearly equal parts. */
export function shardRows(rows: Int32Array): Int32Array[] {
  const count = Math.min(GRADIENT_SHARDS, rows.length);
  const out: Int32Array[] = [];
  for (let s = 0; s < count; s++) {
    out.push(
      rows.subarray(Math.floor(s * rows.length / count), Math.floor((s + 1) * rows.length / count)),
    );
  }
  return out;
}

/**
 * The shard's summed squared error, its gradients written into `into` (one array per trained
 * variable, in model order).
 */
export function shardGradients(
  model: FinetuneModel,
  shard: Shard,
  pooling: "cls" | "mean",
  into: Float32Array[],
): number {
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
  const loss = value.dataSync()[0];
  model.variables.forEach((v, i) => into[i].set(grads[v.name].dataSync() as Float32Array));
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}
