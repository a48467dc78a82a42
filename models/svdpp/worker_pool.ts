import { WorkerPool as Pool } from "../worker_pool.ts";
import type { WorkerTask } from "./worker_tasks.ts";

/** The shared pool (../worker_pool.ts) running svdpp's worker.ts. */
export class WorkerPool extends Pool<WorkerTask> {
  constructor(size: number, name: string) {
    super(new URL("./worker.ts", import.meta.url), size, name);
  }
}
