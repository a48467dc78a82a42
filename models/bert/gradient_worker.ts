/**
 * A fine-tuning gradient worker (data_parallel.ts): holds its own tfjs copy of the trained
 * model; each step task brings the current parameters and one shard (in shared memory) and
 * the worker writes the shard's gradients into the shared arrays it was given.
 */
import type { FinetuneConfig } from "./config.ts";
import { createFinetuneModel, type FinetuneModel } from "./finetune_model.ts";
import { type Shard, shardGradients } from "./shard_gradients.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import { serveTasks } from "../worker_pool.ts";

export type GradientTask =
  | { kind: "init"; weights: BertWeights; config: FinetuneConfig; fromStates: boolean }
  | {
    kind: "step";
    params: Float32Array[];
    shard: Shard;
    pooling: "cls" | "mean";
    grads: Float32Array[];
  };

let model: FinetuneModel | null = null;

serveTasks<GradientTask>(async (task) => {
  if (task.kind === "init") {
    model = await createFinetuneModel(task.weights, task.config, task.fromStates);
    return model.variables.length;
  }
  if (!model) throw new Error("gradient worker: step before init");
  const { tf } = model;
  model.variables.forEach((v, i) => v.assign(tf.tensor(task.params[i], v.shape)));
  return shardGradients(model, task.shard, task.pooling, task.grads);
});
