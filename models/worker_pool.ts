/**
 * A pool of N module workers, kept alive across tasks so a model pays their start-up once,
 * shared by every model that computes in threads (svdpp/worker.ts, knn/worker.ts). The
 * worker module answers each posted task with a WorkerReply (serveTasks does that for it);
 * every array a task holds lives in shared memory, so posting a task shares it.
 *
 * run() gives worker w tasks[w] and resolves with the replies in worker order; an exception
 * in a worker, or an uncaught error (a worker that failed to load), rejects run() with an
 * Error naming the caller's label. The owner must terminate() the pool, in a finally.
 */

/**
 * Top-k requests for fewer users are served on the calling thread: starting workers and
 * sharing the model with them costs more than the lists (factor models, EASE).
 */
export const POOL_MIN_USERS = 1024;

export type WorkerReply = { ok: true; value: number } | { ok: false; error: string };

interface Waiting {
  resolve(value: number): void;
  reject(error: string): void;
}

export class WorkerPool<Task> {
  readonly #workers: Worker[] = [];
  readonly #waiting: (Waiting | null)[] = [];
  /** an uncaught error met while the worker was idle, reported by the next run() */
  readonly #idleFailure: (string | null)[] = [];
  #terminated = false;

  /** `module`: the worker's file, named as `new URL("./worker.ts", import.meta.url)` */
  constructor(module: URL, readonly size: number, name: string) {
    for (let w = 0; w < size; w++) {
      const worker = new Worker(module.href, { type: "module", name: `${name} worker ${w + 1}` });
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

/**
 * The worker side: runs `run` (sync or async) on every task posted to this worker and replies with its
 * value, or with the exception, so the main thread can name what failed.
 */
export function serveTasks<Task>(run: (task: Task) => number | Promise<number>): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<Task>) => void) | null;
    postMessage(reply: WorkerReply): void;
  };
  scope.onmessage = async (event) => {
    let reply: WorkerReply;
    try {
      reply = { ok: true, value: await run(event.data) };
    } catch (error) {
      reply = {
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : `${error}`,
      };
    }
    scope.postMessage(reply);
  };
}
