import { join } from "node:path";
import { hostname } from "node:os";

/**
 * A lock per step fingerprint, so two runs sharing a cache never compute the same step at
 * once: the second waits, then finds the first one's artifact. A lock whose process is
 * gone (killed run) is taken over.
 */
export class StepLocks {
  constructor(readonly root: string) {}

  private file(key: string): string {
    return join(this.root, "locks", `${key}.lock`);
  }

  /** Tries to take the lock; false if a live process holds it. */
  tryAcquire(key: string): boolean {
    const file = this.file(key);
    Deno.mkdirSync(join(this.root, "locks"), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = Deno.openSync(file, { write: true, createNew: true });
        handle.writeSync(
          new TextEncoder().encode(JSON.stringify({ pid: Deno.pid, host: hostname() })),
        );
        handle.close();
        return true;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        if (!this.isStale(file)) return false;
        try {
          Deno.removeSync(file);
        } catch {
          // someone else removed it first; try again
        }
      }
    }
    return false;
  }

  /** Waits until the lock is ours; `onWait` is called once if we have to wait. */
  async acquire(key: string, onWait?: () => void): Promise<void> {
    let told = false;
    while (!this.tryAcquire(key)) {
      if (!told) onWait?.();
      told = true;
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  release(key: string): void {
    try {
      Deno.removeSync(this.file(key));
    } catch {
      // already released
    }
  }

  private isStale(file: string): boolean {
    try {
      const holder = JSON.parse(Deno.readTextFileSync(file));
      if (holder.host !== hostname()) return false;
      if (holder.pid === Deno.pid) return false;
      return !processAlive(holder.pid);
    } catch {
      // Half-written lock file: its writer died between create and write, or is writing
      // now; treat as stale only when it is older than a few seconds.
      try {
        const age = Date.now() - (Deno.statSync(file).mtime?.getTime() ?? 0);
        return age > 5000;
      } catch {
        return true;
      }
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    // Without /proc (macOS), assume alive: a stale lock there needs removing by hand,
    // which is safer than two writers.
    return Deno.build.os !== "linux";
  }
}
