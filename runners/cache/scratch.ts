import { join } from "node:path";
import { DEFAULT_LEASE_TIMING, Lease, type LeaseTiming } from "./lease.ts";
import { ExpiredLeasePruner, leaseFileOf } from "./leased_folders.ts";

/** Names this module gives its folders; nothing else in the scratch root is touched. */
const NAME = /^step-[0-9a-f]{12}$/;

/**
 * Private folders in which steps write files before their artifact is committed, under a
 * root that belongs to the runner (`<cache>/scratch`). Each folder `step-<hex>` is created
 * after its lease `step-<hex>.lease`, which the heartbeat renews while the step runs, however
 * long. Pruning (leased_folders.ts) removes only folders of this name whose lease has
 * expired: never a live step's, never anything else.
 */
export class ScratchFolders {
  private readonly leases = new Map<string, Lease>();
  private readonly pruner: ExpiredLeasePruner;

  constructor(
    readonly root: string,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
    now: () => number = Date.now,
  ) {
    this.pruner = new ExpiredLeasePruner(root, timing.ttlMs, now);
  }

  create(): string {
    Deno.mkdirSync(this.root, { recursive: true });
    for (;;) {
      const name = `step-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      const dir = join(this.root, name);
      const lease = Lease.tryCreate(leaseFileOf(dir), this.timing);
      if (!lease) continue; // a name clash: pick another
      Deno.mkdirSync(dir);
      this.leases.set(dir, lease);
      return dir;
    }
  }

  /** Removes a folder this process created (if still there) and ends its lease. */
  remove(dir: string): void {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    this.leases.get(dir)?.release();
    this.leases.delete(dir);
  }

  /** Removes the folders of expired leases; how many. */
  prune(): number {
    return this.pruner.prune((name) => NAME.test(name), (dir) => this.leases.has(dir)).removed;
  }
}
