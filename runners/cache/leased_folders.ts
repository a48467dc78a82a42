/**
 * Folders that live under a lease: `<root>/<name>/` beside `<root>/<name>.lease`, the lease
 * created first and removed last, renewed by the heartbeat while its process works in the
 * folder, however long. Scratch folders of steps (scratch.ts) and staging folders of run
 * folders (run_folder/staging.ts) are such folders; this module prunes them: a folder goes
 * only when its lease has expired (holder gone, or not renewed for the TTL on this host's
 * clock), never a live one's, never a name that is not ours.
 */
import { join } from "node:path";
import { LeaseObserver, removeExpired } from "./lease.ts";

export const LEASE_SUFFIX = ".lease";

/** The lease file of a leased folder. */
export function leaseFileOf(dir: string): string {
  return dir + LEASE_SUFFIX;
}

export interface PruneResult {
  /** folders removed (their lease had expired) */
  removed: number;
  /** names (without `.lease`) that had a lease file when looked at, expired or not */
  leased: Set<string>;
}

/**
 * Prunes the expired leased folders of one root. Observations persist in a memo file per
 * host and boot inside the root, so short processes one after another see a lease go quiet.
 */
export class ExpiredLeasePruner {
  private observer: LeaseObserver | undefined;
  /** whether the memo file may hold observations (so it must be rewritten or removed) */
  private rememberedAny = true;

  constructor(
    readonly root: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `isOurs` says which names this module created; `held` names folders this process holds
   * (never judged); `entries`, the root's listing if the caller has it (null: no root).
   * The folder goes before its lease: a prune killed in between leaves the
   * lease, which expires again (the other order could orphan a folder no prune touches).
   */
  prune(
    isOurs: (name: string) => boolean,
    held: (dir: string) => boolean = () => false,
    entries: Deno.DirEntry[] | null = listing(this.root),
  ): PruneResult {
    const result: PruneResult = { removed: 0, leased: new Set() };
    if (entries === null) return result;
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.name.endsWith(LEASE_SUFFIX)) continue;
      const name = entry.name.slice(0, -LEASE_SUFFIX.length);
      if (!isOurs(name)) continue;
      result.leased.add(name);
      const dir = join(this.root, name);
      if (held(dir)) continue;
      const leaseFile = join(this.root, entry.name);
      this.observer ??= new LeaseObserver(
        this.ttlMs,
        this.now,
        LeaseObserver.memoFileIn(this.root),
      );
      const state = this.observer.judge(leaseFile);
      if (state.state !== "expired") {
        if (state.state === "live") present.add(leaseFile);
        continue;
      }
      // The holder has been silent for the TTL (or is gone): should it wake, its work
      // fails on the missing folder rather than produce something half-written.
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (removeExpired(leaseFile, state.seen)) this.observer.forget(leaseFile);
      else present.add(leaseFile); // a new lease took the name meanwhile
      result.removed++;
    }
    this.remember(present);
    return result;
  }

  /** Keeps the memo to the leases present; no memo at all when nothing is leased. */
  private remember(present: Set<string>): void {
    if (present.size) {
      this.observer!.retainOnly(present);
      this.observer!.save();
    } else if (this.rememberedAny) {
      try {
        Deno.removeSync(LeaseObserver.memoFileIn(this.root));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      this.observer?.retainOnly(present);
    }
    this.rememberedAny = present.size > 0;
  }
}

/** The entries of `dir`; null when it does not exist. */
export function listing(dir: string): Deno.DirEntry[] | null {
  try {
    return [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
