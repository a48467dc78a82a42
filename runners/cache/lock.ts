import { join } from "node:path";
import { heartbeat } from "./heartbeat.ts";
import {
  DEFAULT_LEASE_TIMING,
  describeHolder,
  Lease,
  LeaseObserver,
  type LeaseTiming,
  removeExpired,
} from "./lease.ts";

export interface StepLockOptions {
  timing?: LeaseTiming;
  /** names the run in the lock, for whoever waits on it */
  run?: string;
  /** the waiter's clock (injectable for tests) */
  now?: () => number;
}

/**
 * A lock per step fingerprint, so two runs sharing a cache do not compute the same step at
 * once: the second waits, then finds the first one's artifact.
 *
 * The lock only avoids duplicate work; correctness never depends on it: artifacts are
 * content-addressed, written aside and renamed into place, and verified when loaded. So a
 * lock is a lease (see lease.ts): renewed by a heartbeat while its run lives, taken over
 * when its holder is seen dead on this machine, or when it has not been renewed for the
 * TTL on the waiter's own clock (a run killed in another container or on another host).
 */
export class StepLocks {
  private readonly timing: LeaseTiming;
  private readonly observer: LeaseObserver;
  private readonly held = new Map<string, Lease>();

  constructor(readonly root: string, private readonly options: StepLockOptions = {}) {
    this.timing = options.timing ?? DEFAULT_LEASE_TIMING;
    this.observer = new LeaseObserver(this.timing.ttlMs, options.now);
  }

  private file(key: string): string {
    return join(this.root, "locks", `${key}.lock`);
  }

  /**
   * Tries to take the lock; false while someone else holds a live lease. `onTakeOver` hears
   * about an expired lease being taken over.
   */
  tryAcquire(key: string, onTakeOver?: (message: string) => void): boolean {
    const file = this.file(key);
    Deno.mkdirSync(join(this.root, "locks"), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      const lease = Lease.tryCreate(file, this.timing, this.options.run);
      if (lease) {
        this.held.set(key, lease);
        this.observer.forget(file);
        return true;
      }
      const state = this.observer.judge(file);
      if (state.state === "live") return false;
      if (state.state === "expired") {
        if (!removeExpired(file, state.seen)) return false;
        onTakeOver?.(`taking over the lock of ${describeHolder(state.holder)}: ${state.why}`);
      }
    }
    return false;
  }

  /** Who holds the lock now, for a waiting message. */
  holder(key: string): string {
    const state = this.observer.judge(this.file(key));
    return state.state === "absent" ? "nobody" : describeHolder(state.holder);
  }

  /** Waits until the lock is ours; `onWait` hears who holds it (once) and any take-over. */
  async acquire(key: string, onWait?: (message: string) => void): Promise<void> {
    let told = false;
    const pollMs = Math.min(100, this.timing.renewMs);
    while (!this.tryAcquire(key, onWait)) {
      if (!told) {
        onWait?.(`waiting for another run: ${this.holder(key)}`);
        told = true;
      }
      await new Promise((done) => setTimeout(done, pollMs));
    }
    await heartbeat.running();
  }

  release(key: string): void {
    this.held.get(key)?.release();
    this.held.delete(key);
  }
}
