/// <reference lib="deno.worker" />
/**
 * The BPR worker: Hogwild SGD (sgd.ts) on parameters in shared memory, one seeded stream
 * of triples per worker and epoch, and the dev lists between epochs (ials/worker_tasks.ts's
 * factor-recommend). Replies to every task, an exception included.
 */
import { serveTasks } from "../worker_pool.ts";
import { claimChunks } from "../svdpp/chunks.ts";
import { chunkRecommender } from "../ials/factor_recommend_chunk.ts";
import type { FactorRecommendTask } from "../ials/worker_tasks.ts";
import { bprSlices, type BprState } from "./sgd.ts";

export interface BprSetupTask {
  kind: "bpr-setup";
  state: BprState;
}

/**
 * Runs `samples` triples (bprSlices); writes [loss, triples used] to out[2 slot] and
 * out[2 slot + 1], and adds the triples done to done[0] after each slice (progress).
 */
export interface BprEpochTask {
  kind: "bpr-epoch";
  samples: number;
  seed: number;
  out: Float64Array;
  slot: number;
  done: Int32Array;
}

export type BprWorkerTask = BprSetupTask | BprEpochTask | FactorRecommendTask;

let state: BprState | null = null;

serveTasks<BprWorkerTask>((task) => {
  if (task.kind === "bpr-setup") {
    state = task.state;
  } else if (task.kind === "factor-recommend") {
    const { model, request, out, counter, chunk } = task;
    const recommend = chunkRecommender(model, request);
    claimChunks(counter, request.users.length, chunk, (from, to) => recommend(from, to, out));
  } else {
    if (state === null) throw new Error("bpr worker: an epoch came before bpr-setup");
    const [loss, used] = bprSlices(state, task.samples, task.seed, (n) => {
      Atomics.add(task.done, 0, n);
    });
    task.out[2 * task.slot] = loss;
    task.out[2 * task.slot + 1] = used;
  }
  return 0;
});
