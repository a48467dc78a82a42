/// <reference lib="deno.worker" />
/**
 * The EASE recommend worker: claims chunks of the request's users from a shared counter and
 * writes their top-k into the shared output, scoring on the shared weights (scoring.ts).
 */
import { serveTasks } from "../worker_pool.ts";
import { claimChunks } from "../svdpp/chunks.ts";
import { recommendByScores } from "../implicit/recommend_by_scores.ts";
import type { RecommendTask } from "./recommend.ts";
import { blockScorer } from "./scoring.ts";

serveTasks<RecommendTask>((task) => {
  const { mem, slot, kept, x, nItems, request, out, counter, chunk } = task;
  const { users, k } = request;
  claimChunks(counter, users.length, chunk, (from, to) => {
    const some = users.subarray(from, to);
    const scoreUser = blockScorer(mem, slot, kept, x, some);
    const lists = recommendByScores(nItems, { ...request, users: some }, scoreUser);
    out.set(lists, from * k);
  });
  return 0;
});
