import type { WorkerReply, WorkerTask } from "./worker_tasks.ts";

interface Waiting {
  resolve(value: number): void;
  reject(error: string): void;
}

/**
 * N workers, kept alive across tasks so training pays their start-up once: svdpp's
 * (worker.ts) unless `url` names another module that answers tasks with a WorkerReply
 * (models/ials/worker.ts, models/bpr/worker.ts).
 * run() gives worker w tasks[w] and resolves with the replies in worker order; an exception
 * in a worker, or an uncaught error (a worker that failed to load), rejects run() with an
 * Error naming the caller's label. The owner must terminate() the pool, in a finally.
 */
export class WorkerPool<Task = WorkerTask> {
  readonly #workers: Worker[] = [];
  readonly #waiting: (Waiting | null)[] = [];
  /** an uncaught error met while the worker was idle, reported by the next run() */
  readonly #idleFailure: (string | null)[] = [];
  #terminated = false;

  constructor(
    readonly size: number,
    name: string,
    url: string = new URL("./worker.ts", import.meta.url).href,
  ) {
    for (let w = 0; w < size; w++) {
      const worker = new Worker(url, { type: "module", name: `${name} worker ${w + 1}` });
      worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#settle(w, event.data);
      worker.onerror = (event: ErrorEvent) => {
        // handled here: otherwise the error would also end the main thread
        event.preventDefault();
        this.#settle(w, { ok: false, error: event.message });
      };
      worker.onmessageerror = () => {
        this.#settle(w, { ok: false, error: "a reply could not be deserialised" });
      };
      this.#workers.push(worker);
      this.#waiting.push(null);
      this.#idleFailure.push(null);
    }
  }

  run(label: string, tasks: Task[]): Promise<number[]> {
    if (this.#terminated) throw new Error(`${label}: the worker pool was terminated`);
    if (tasks.length !== this.size) {
      throw new Error(`${label}: ${tasks.length} tasks for ${this.size} workers`);
    }
    const replies = this.#workers.map((worker, w) =>
      new Promise<number>((resolve, reject) => {
        const fail = (error: string) =>
          reject(new Error(`${label}: worker ${w + 1} of ${this.size} failed: ${error}`));
        const earlier = this.#idleFailure[w];
        if (earlier !== null) return fail(earlier);
        this.#waiting[w] = { resolve, reject: fail };
        worker.postMessage(tasks[w]);
      })
    );
    return Promise.all(replies);
  }

  terminate(): void {
    this.#terminated = true;
    for (const worker of this.#workers) worker.terminate();
  }

  #settle(w: number, reply: WorkerReply): void {
    const waiting = this.#waiting[w];
    this.#waiting[w] = null;
    if (waiting === null) {
      if (!reply.ok) this.#idleFailure[w] ??= reply.error;
      return;
    }
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(reply.error);
  }
}
