/**
 * EASE recommendations: user u's score of kept item j is the sum over u's kept items i of
 * B_ij (X . B), on the row-sum kernel (scoring.ts); items outside the cap are never
 * candidates. Top-k, exclusion and ties (lower item index first) are the shared
 * recommendByScores. With threads > 1 and at least POOL_MIN_USERS users, workers
 * (worker.ts) claim chunks of users and score them on the same shared weights: the lists
 * are those of one thread.
 */
import type { RecommendRequest, StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { interactions } from "../implicit/interactions.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import { POOL_MIN_USERS, WorkerPool } from "../worker_pool.ts";
import type { EaseConfig } from "./config.ts";
import { positions, restrictItems } from "./item_cap.ts";
import { blockScorer, SCORE_BLOCK, type ScoringMemory, scoringMemory } from "./scoring.ts";

/** What one worker gets; every array is in shared memory. */
export interface RecommendTask {
  mem: ScoringMemory;
  slot: number;
  kept: Int32Array;
  x: { userOffsets: Int32Array; userItems: Int32Array };
  nItems: number;
  request: RecommendRequest;
  out: Int32Array;
  counter: Int32Array;
  chunk: number;
}

export async function recommendEase(
  config: EaseConfig,
  params: Table,
  data: TrainData,
  request: RecommendRequest,
  ctx: StepContext,
): Promise<Int32Array> {
  const kept = params.items as Int32Array;
  const weights = params.weights as Float32Array | Float64Array;
  const m = kept.length;
  if (weights.length !== m * m) {
    throw new Error(`ease params: weights hold ${weights.length} values, not ${m} x ${m}`);
  }
  const { nItems } = data;
  const at = positions(kept, nItems);
  const all = interactions(data, config.threshold);
  const x = restrictItems(all.userOffsets, all.userItems, kept, nItems);
  const candidates = (request.candidates ?? Int32Array.from({ length: nItems }, (_, i) => i))
    .filter((item) => at[item] >= 0);
  const capped = { ...request, candidates };
  // The sums are bound by memory bandwidth: workers pay only past the cost of starting them.
  const threads = request.users.length < POOL_MIN_USERS
    ? 1
    : Math.min(config.threads, request.users.length);
  const progress = (done: number, total: number) => ctx.progress(done, total, "users");
  if (threads === 1) {
    const mem = scoringMemory(weights, m, 1, false);
    return recommendByScores(nItems, capped, blockScorer(mem, 0, kept, x, request.users), progress);
  }

  const mem = scoringMemory(weights, m, threads, true);
  const { users, k } = request;
  const out = new Int32Array(new SharedArrayBuffer(users.length * k * 4));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const chunk = SCORE_BLOCK;
  const sharedRequest: RecommendRequest = {
    ...capped,
    users: shared(users),
    candidates: shared(candidates),
    exclude: request.exclude &&
      { offsets: shared(request.exclude.offsets), values: shared(request.exclude.values) },
  };
  const task = (slot: number): RecommendTask => ({
    mem,
    slot,
    kept: shared(kept),
    x: { userOffsets: shared(x.userOffsets), userItems: shared(x.userItems) },
    nItems,
    request: sharedRequest,
    out,
    counter,
    chunk,
  });
  const pool = new WorkerPool<RecommendTask>(
    new URL("./worker.ts", import.meta.url),
    threads,
    "ease recommend",
  );
  const timer = setInterval(
    () => progress(Math.min(users.length, counter[0] * chunk), users.length),
    500,
  );
  try {
    await pool.run("ease recommend", Array.from({ length: threads }, (_, w) => task(w)));
  } finally {
    clearInterval(timer);
    pool.terminate();
  }
  progress(users.length, users.length);
  return out.slice();
}

/** A copy in shared memory, so posting it to a worker shares rather than clones it. */
function shared(array: Int32Array): Int32Array {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = new Int32Array(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
