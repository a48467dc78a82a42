/**
 * The staging folder of a run folder being written: `<results>/<experiment>/.<run id>.partial/`,
 * renamed to `<run id>/` once complete, so a killed run leaves no half-written run folder.
 *
 * It lives under a lease (`.<run id>.partial.lease` beside it, see cache/leased_folders.ts),
 * renewed by the same heartbeat as step locks and scratch folders for as long as the run
 * writes, however long that takes. Pruning removes a staging folder only once its lease has
 * expired (the writer is gone), so a slow writer keeps its folder and a dead one's goes at
 * the next run of the experiment. Staging folders written by versions without leases have
 * no lease file: those are still pruned by age (a day), as those versions did.
 */
import { join } from "node:path";
import { DEFAULT_LEASE_TIMING, Lease, type LeaseTiming } from "../cache/lease.ts";
import { ExpiredLeasePruner, leaseFileOf, listing } from "../cache/leased_folders.ts";
import { RUN_ID_PATTERN } from "./list_runs.ts";

/** Age after which a staging folder without a lease (an older version's) is pruned. */
export const UNLEASED_STAGING_MAX_AGE_MS = 24 * 3600 * 1000;

export interface StagingOptions {
  /** lease timing (tests shorten it) */
  timing?: LeaseTiming;
  /** this host's clock (tests move it) */
  now?: () => number;
}

/** `.<run id>.partial`, the name a run's staging folder has. */
export function stagingName(runId: string): string {
  return `.${runId}.partial`;
}

/** Whether a name is a staging folder's this module made (a run id inside). */
function isStagingName(name: string): boolean {
  const runId = name.match(/^\.(.+)\.partial$/)?.[1];
  return runId !== undefined && RUN_ID_PATTERN.test(runId);
}

/** A staging folder this process holds, with its lease. */
export class StagingFolder {
  private constructor(readonly dir: string, private readonly lease: Lease) {}

  /** Takes the lease, then creates the folder; fails if either is there already. */
  static create(parent: string, runId: string, options: StagingOptions = {}): StagingFolder {
    const dir = join(parent, stagingName(runId));
    const lease = Lease.tryCreate(leaseFileOf(dir), options.timing ?? DEFAULT_LEASE_TIMING, runId);
    if (!lease) throw new Error(`run ${runId} is already being written in ${parent}`);
    try {
      Deno.mkdirSync(dir);
    } catch (error) {
      lease.release();
      throw error;
    }
    return new StagingFolder(dir, lease);
  }

  /** Renames the complete folder to `target`, then ends the lease. */
  commit(target: string): void {
    try {
      Deno.renameSync(this.dir, target);
    } finally {
      this.lease.release();
    }
  }

  /** Removes the folder (a write that failed), then ends the lease. */
  abandon(): void {
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    } finally {
      this.lease.release();
    }
  }
}

/**
 * Removes the staging folders in `parent` (an experiment folder) whose writer is gone: an
 * expired lease, or no lease and older than a day. How many were removed.
 */
export function pruneStaging(parent: string, options: StagingOptions = {}): number {
  const now = options.now ?? Date.now;
  const timing = options.timing ?? DEFAULT_LEASE_TIMING;
  // One listing for both rules: an experiment folder may hold thousands of runs.
  const entries = listing(parent) ?? [];
  const pruner = new ExpiredLeasePruner(parent, timing.ttlMs, now);
  const byLease = pruner.prune(isStagingName, undefined, entries);
  let removed = byLease.removed;
  for (const entry of entries) {
    if (!entry.isDirectory || !isStagingName(entry.name) || byLease.leased.has(entry.name)) {
      continue;
    }
    const dir = join(parent, entry.name);
    // A lease is created before its folder, but a listing taken while both appear may
    // show the folder alone: look again.
    if (exists(leaseFileOf(dir))) continue;
    const modified = modifiedMs(dir);
    if (modified === null || now() - modified <= UNLEASED_STAGING_MAX_AGE_MS) continue;
    try {
      Deno.removeSync(dir, { recursive: true });
      removed++;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return removed;
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** A folder's mtime; null when it is gone (renamed into place meanwhile) or has none. */
function modifiedMs(dir: string): number | null {
  try {
    return Deno.statSync(dir).mtime?.getTime() ?? null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
