import { join } from "node:path";
import {
  DEFAULT_LEASE_TIMING,
  Lease,
  LeaseObserver,
  type LeaseTiming,
  removeExpired,
} from "./lease.ts";

/** Names this module gives its folders; nothing else in the scratch root is touched. */
const NAME = /^step-[0-9a-f]{12}$/;
const LEASE = ".lease";

/**
 * Private folders in which steps write files before their artifact is committed, under a
 * root that belongs to the runner (`<cache>/scratch`). Each folder `step-<hex>` is created
 * after its lease `step-<hex>.lease`, which the heartbeat renews while the step runs, however
 * long. Pruning removes only folders of this name whose lease has expired (holder gone, or
 * not renewed for the TTL on this host's clock): never a live step's, never anything else.
 */
export class ScratchFolders {
  private readonly leases = new Map<string, Lease>();
  private observer: LeaseObserver | undefined;
  /** whether the memo file may hold observations (so it must be rewritten) */
  private rememberedAny = true;

  constructor(
    readonly root: string,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  create(): string {
    Deno.mkdirSync(this.root, { recursive: true });
    for (;;) {
      const name = `step-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
      const lease = Lease.tryCreate(join(this.root, name + LEASE), this.timing);
      if (!lease) continue; // a name clash: pick another
      const dir = join(this.root, name);
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
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(this.root)];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return 0;
      throw error;
    }
    // Observations persist per host and boot, so short runs together see a lease go quiet.
    this.observer ??= new LeaseObserver(
      this.timing.ttlMs,
      this.now,
      LeaseObserver.memoFileIn(this.root),
    );
    let removed = 0;
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.name.endsWith(LEASE)) continue;
      const name = entry.name.slice(0, -LEASE.length);
      if (!NAME.test(name)) continue;
      const leaseFile = join(this.root, entry.name);
      const dir = join(this.root, name);
      if (this.leases.has(dir)) continue;
      present.add(leaseFile);
      const state = this.observer.judge(leaseFile);
      if (state.state !== "expired") continue;
      // The folder first: a prune killed in between leaves the lease, which expires again
      // (the other order could orphan a folder no prune would touch). The holder has been
      // silent for the TTL; should it wake, its step fails on the missing folder.
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (removeExpired(leaseFile, state.seen)) this.observer.forget(leaseFile);
      removed++;
    }
    this.observer.retainOnly(present);
    // Nothing to remember when nothing is leased (the usual case): no write at all.
    if (present.size || this.rememberedAny) this.observer.save();
    this.rememberedAny = present.size > 0;
    return removed;
  }
}
