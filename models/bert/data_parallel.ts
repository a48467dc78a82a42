/**
 * Data-parallel gradients for fine-tuning. tfjs-wasm runs single-threaded under Deno, so the
 * second core is used by a worker holding its own copy of the model: each batch is cut into
 * the same shards whatever the thread count (shard_gradients.ts), in two groups; with 2
 * threads this thread computes the first group while the worker computes the second, with 1
 * thread this thread computes both. The two group sums are added and divided by the batch
 * size, so the mean-loss gradient is bit-identical for 1 and 2 threads.
 */
import type { FinetuneConfig } from "./config.ts";
import type { FinetuneModel } from "./finetune_model.ts";
import type { Tensor } from "./heavy_packages.ts";
import type { GradientTask } from "./gradient_worker.ts";
import { groupGradients, type Shard } from "./shard_gradients.ts";
import { readFloats, wasmHeapBytes } from "./tfjs_backend.ts";
import { WorkerPool } from "../worker_pool.ts";

const sharedFloat32 = (length: number) => new Float32Array(new SharedArrayBuffer(length * 4));

export class DataParallelGradients {
  /** per group, its summed gradient: one array per trained variable (shared with the worker) */
  private readonly groupGrads: Float32Array[][];

  private constructor(
    private readonly model: FinetuneModel,
    private readonly pool: WorkerPool<GradientTask> | null,
    /** the parameters the worker computes with, in shared memory (none without a worker) */
    private readonly params: Float32Array[] = [],
  ) {
    this.groupGrads = [0, 1].map(() => model.variables.map((v) => sharedFloat32(v.size)));
  }

  /**
   * `config.threads` 1: both groups here; 2: the second group in a worker that builds its
   * copy of the model from the shared parameter arrays, so it holds no second copy of the
   * weights besides its wasm heap (the webgpu device always uses 1: one GPU).
   */
  static async create(
    model: FinetuneModel,
    config: FinetuneConfig,
    fromStates: boolean,
  ): Promise<DataParallelGradients> {
    if (config.device === "webgpu" || config.threads <= 1) {
      return new DataParallelGradients(model, null);
    }
    const { tf, bert, variables } = model;
    const params = variables.map((v) => sharedFloat32(v.size));
    variables.forEach((v, i) => params[i].set(readFloats(tf, v)));
    const weights = bert.sharedWeights(params.slice(0, bert.variables.length));
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
    return new DataParallelGradients(model, pool, params);
  }

  /**
   * The batch's mean loss and its gradients (tensors the caller disposes, model order), from
   * its shards (shardRows): the first half of them here, the rest in the worker or here.
   */
  async lossAndGrads(shards: Shard[], pooling: "cls" | "mean"): Promise<
    { loss: number; grads: Tensor[] }
  > {
    const { tf, variables } = this.model;
    const half = Math.ceil(shards.length / 2);
    const groups = [shards.slice(0, half), shards.slice(half)];
    let remote: Promise<number[]> | null = null;
    if (this.pool && groups[1].length) {
      variables.forEach((v, i) => this.params[i].set(readFloats(tf, v)));
      remote = this.pool.run("fine-tuning gradient step", [{
        kind: "step",
        params: this.params,
        shards: groups[1],
        pooling,
        grads: this.groupGrads[1],
      }]);
    }
    let loss = await groupGradients(this.model, groups[0], pooling, this.groupGrads[0]);
    if (groups[1].length) {
      loss += remote
        ? (await remote)[0]
        : await groupGradients(this.model, groups[1], pooling, this.groupGrads[1]);
    }
    let rows = 0;
    for (const shard of shards) rows += shard.tokens.batch;
    const grads = variables.map((v, i) => {
      const [sum, second] = [this.groupGrads[0][i], this.groupGrads[1][i]];
      if (groups[1].length) { for (let j = 0; j < sum.length; j++) sum[j] += second[j]; }
      for (let j = 0; j < sum.length; j++) sum[j] /= rows;
      return tf.tensor(sum, v.shape);
    });
    return { loss: loss / rows, grads };
  }

  /** Each thread's wasm heap in bytes (its high-water mark), this thread first; null: n/a. */
  async heapBytes(): Promise<(number | null)[]> {
    const here = wasmHeapBytes(this.model.tf);
    if (!this.pool) return [here];
    const [worker] = await this.pool.run("fine-tuning gradient heap", [{ kind: "heap" }]);
    return [here, worker < 0 ? null : worker];
  }

  dispose(): void {
    this.pool?.terminate();
  }
}
