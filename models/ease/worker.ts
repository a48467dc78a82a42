/// <reference lib="deno.worker" />
/**
 * The EASE recommend worker: claims chunks of the request's users from a shared counter and
 * writes their top-k into the shared output, scoring on the shared weights (scoring.ts).
 */
import type { WorkerReply } from "../worker_pool.ts";
import { claimChunks } from "../svdpp/chunks.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import type { RecommendTask } from "./recommend.ts";
import { blockScorer } from "./scoring.ts";

self.onmessage = (event: MessageEvent<RecommendTask>) => {
  let reply: WorkerReply;
  try {
    const { mem, slot, kept, x, nItems, request, out, counter, chunk } = event.data;
    const { users, k } = request;
    claimChunks(counter, users.length, chunk, (from, to) => {
      const some = users.subarray(from, to);
      const scoreUser = blockScorer(mem, slot, kept, x, some);
      const lists = recommendByScores(nItems, { ...request, users: some }, scoreUser);
      out.set(lists, from * k);
    });
    reply = { ok: true, value: 0 };
  } catch (error) {
    reply = {
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : `${error}`,
    };
  }
  self.postMessage(reply);
};
