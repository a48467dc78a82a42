/// <reference lib="deno.worker" />
/** The knn worker: the tasks of worker_tasks.ts, on memory shared with the main thread. */
import { serveTasks } from "../worker_pool.ts";
import { claimChunks } from "../svdpp/chunks.ts";
import { computeNeighbours, neighbourScratch } from "./neighbours.ts";
import { recommendUsers } from "./recommend.ts";
import type { KnnTask } from "./worker_tasks.ts";

serveTasks<KnnTask>((task) => {
  const { counter, chunk } = task;
  if (task.kind === "neighbours") {
    const { graph, measure, heaps } = task;
    const scratch = neighbourScratch(graph.n);
    claimChunks(counter, graph.n, chunk, (from, to) => {
      Atomics.add(counter, 1, computeNeighbours(graph, measure, heaps, from, to, scratch));
    });
  } else {
    const { weights, x, basis, nItems, request, out } = task;
    const run = recommendUsers(weights, x, basis, nItems, request, out);
    claimChunks(counter, request.users.length, chunk, (from, to) => {
      Atomics.add(counter, 1, run(from, to));
    });
  }
  return 0;
});
