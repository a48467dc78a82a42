import { WorkerPool as Pool } from "../worker_pool.ts";
import type { WorkerTask } from "./worker_tasks.ts";

/** The svdpp workers (worker.ts): the shared pool over this model's worker module. */
export class WorkerPool extends Pool<WorkerTask> {
  constructor(size: number, name: string) {
    super(size, name, new URL("./worker.ts", import.meta.url).href);
  }
}
