/**
 * Data-parallel gradients for fine-tuning. tfjs-wasm runs single-threaded under Deno, so the
 * second core is used by a worker holding its own copy of the model: each batch is cut into
 * the same GRADIENT_SHARDS shards whatever the thread count; with 2 threads this thread
 * computes the first shard while the worker computes the second, with 1 thread this thread
 * computes both. Shard gradients are added in shard order and divided by the batch size,
 * so the mean-loss gradient is bit-identical for 1 and 2 threads.
 */
import type { FinetuneConfig } from "./config.ts";
import type { FinetuneModel } from "./finetune_model.ts";
import type { Tensor } from "./heavy_packages.ts";
import type { GradientTask } from "./gradient_worker.ts";
import { type Shard, shardGradients } from "./shard_gradients.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import { WorkerPool } from "../worker_pool.ts";

const sharedFloat32 = (length: number) => new Float32Array(new SharedArrayBuffer(length * 4));

export class DataParallelGradients {
  /** per shard, one gradient array per trained variable (shared with the worker) */
  private readonly shardGrads: Float32Array[][];
  private readonly params: Float32Array[];

  private constructor(
    private readonly model: FinetuneModel,
    private readonly pool: WorkerPool<GradientTask> | null,
    shards: number,
  ) {
    const sizes = model.variables.map((v) => v.size);
    this.shardGrads = Array.from({ length: shards }, () => sizes.map(sharedFloat32));
    this.params = pool ? sizes.map(sharedFloat32) : [];
  }

  /**
   * `threads` 1: every shard here; 2: the last shard in a worker that loads its own copy of
   * `weights` (the webgpu device always uses 1: one GPU).
   */
  static async create(
    model: FinetuneModel,
    weights: BertWeights,
    config: FinetuneConfig,
    fromStates: boolean,
    shards: number,
  ): Promise<DataParallelGradients> {
    const threads = config.device === "webgpu" ? 1 : Math.min(config.threads, shards);
    if (threads <= 1) return new DataParallelGradients(model, null, shards);
    const pool = new WorkerPool<GradientTask>(
      new URL("./gradient_worker.ts", import.meta.url),
      1,
      "fine-tuning gradient",
    );
    try {
      await pool.run("fine-tuning gradient worker start", [
        { kind: "init", weights, config: { ...config, threads: 1 }, fromStates },
      ]);
    } catch (error) {
      pool.terminate();
      throw error;
    }
    return new DataParallelGradients(model, pool, shards);
  }

  /** The batch's mean loss and its gradients (tensors the caller disposes), model order. */
  async lossAndGrads(shards: Shard[], pooling: "cls" | "mean"): Promise<
    { loss: number; grads: Tensor[] }
  > {
    const { tf, variables } = this.model;
    let remote: Promise<number[]> | null = null;
    const last = shards.length - 1;
    if (this.pool && last > 0) {
      await Promise.all(variables.map(async (v, i) => this.params[i].set(await v.data())));
      remote = this.pool.run("fine-tuning gradient step", [{
        kind: "step",
        params: this.params,
        shard: shards[last],
        pooling,
        grads: this.shardGrads[last],
      }]);
    }
    const losses: number[] = [];
    for (let s = 0; s < (remote ? last : shards.length); s++) {
      losses.push(shardGradients(this.model, shards[s], pooling, this.shardGrads[s]));
    }
    if (remote) losses.push((await remote)[0]);
    let rows = 0;
    for (const shard of shards) rows += shard.tokens.batch;
    let lossSum = 0;
    for (const loss of losses) lossSum += loss;
    const grads = variables.map((v, i) => {
      const sum = new Float32Array(v.size);
      for (let s = 0; s < shards.length; s++) {
        const g = this.shardGrads[s][i];
        for (let j = 0; j < sum.length; j++) sum[j] += g[j];
      }
      for (let j = 0; j < sum.length; j++) sum[j] /= rows;
      return tf.tensor(sum, v.shape);
    });
    return { loss: lossSum / rows, grads };
  }

  dispose(): void {
    this.pool?.terminate();
  }
}
