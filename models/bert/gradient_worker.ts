/**
 * A fine-tuning gradient worker (data_parallel.ts): holds its own tfjs copy of the trained
 * model; each step task brings the current parameters (in shared memory) and a group of
 * shards, and the worker writes the group's summed gradients into the shared arrays given.
 */
import type { FinetuneConfig } from "./config.ts";
import { createFinetuneModel, type FinetuneModel } from "./finetune_model.ts";
import { groupGradients, type Shard } from "./shard_gradients.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import { serveTasks } from "../worker_pool.ts";
import { assignValues } from "./tfjs_variables.ts";
import { wasmHeapBytes } from "./tfjs_backend.ts";

export type GradientTask =
  | { kind: "init"; weights: BertWeights; config: FinetuneConfig; fromStates: boolean }
  | {
    kind: "step";
    params: Float32Array[];
    shards: Shard[];
    pooling: "cls" | "mean";
    grads: Float32Array[];
  }
  /** the worker's wasm heap size in bytes (-1: another backend) */
  | { kind: "heap" };

let model: FinetuneModel | null = null;

serveTasks<GradientTask>(async (task) => {
  if (task.kind === "init") {
    model = await createFinetuneModel(task.weights, task.config, task.fromStates);
    return model.variables.length;
  }
  if (!model) throw new Error("gradient worker: step before init");
  const { tf } = model;
  if (task.kind === "heap") return wasmHeapBytes(tf) ?? -1;
  model.variables.forEach((v, i) => assignValues(tf, v, task.params[i]));
  return groupGradients(model, task.shards, task.pooling, task.grads);
});
