/**
 * Renews this process's leases from a dedicated Worker thread: steps run long synchronous
 * loops (SVD++ training) on the main thread, which would starve a timer there and let a live
 * lease expire. The worker runs only while some lease is held, so it never keeps a finished
 * process alive.
 */
class Heartbeat {
  private worker: Worker | undefined;
  private ready: Promise<void> = Promise.resolve();
  private readonly paths = new Set<string>();

  add(path: string, renewMs: number): void {
    if (!this.worker) {
      const worker = new Worker(new URL("./heartbeat_worker.ts", import.meta.url), {
        type: "module",
      });
      this.ready = new Promise((resolve) => {
        worker.onmessage = () => resolve();
        // Without a heartbeat our leases expire after their TTL and others may duplicate
        // our work: slower, never wrong. Say so rather than crash or hang.
        worker.onerror = (event) => {
          event.preventDefault();
          console.error(`warning: lease heartbeat stopped: ${event.message}`);
          resolve();
        };
      });
      this.worker = worker;
    }
    this.paths.add(path);
    this.worker.postMessage({ add: path, renewMs });
  }

  /**
   * Resolves once the worker runs. Loading its module may need this thread (e.g. when type
   * checking), so await this before a long synchronous computation.
   */
  running(): Promise<void> {
    return this.ready;
  }

  remove(path: string): void {
    if (!this.paths.delete(path) || !this.worker) return;
    this.worker.postMessage({ remove: path });
    // Stopped once the current synchronous work is done, not at once: a loop that takes and
    // releases a lease per item (run folders written one after another) keeps one worker
    // rather than paying a thread start (~10 ms) per item.
    if (this.paths.size === 0) queueMicrotask(() => this.stopIfIdle());
  }

  private stopIfIdle(): void {
    if (this.paths.size > 0 || !this.worker) return;
    this.worker.terminate();
    this.worker = undefined;
  }
}

export const heartbeat = new Heartbeat();
