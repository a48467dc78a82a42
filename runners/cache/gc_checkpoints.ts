/**
 * gc of fine-tune checkpoints (`<cache>/checkpoints/<step fingerprint>/`, see checkpoints.ts):
 * the resume state of steps whose run was killed. Once the user changes settings, no run
 * will ever compute that fingerprint again and the folder (hundreds of MB of weights and
 * optimizer moments) would stay forever.
 *
 * A checkpoint folder is removed only when no run is computing its step: gc takes the
 * step's lock itself while removing it, so a run cannot start resuming from a folder that
 * is going (it waits, then starts afresh). Kept: the folders of a step whose lock is live,
 * those of a step a run in progress has planned (it may be about to resume), and all of
 * them with `keep` (`--keep-checkpoints`, for users who mean to resume later).
 * What an interrupted gc left aside goes in any case. `dryRun` judges and touches nothing.
 */
import { join } from "node:path";
import { CHECKPOINTS_DIR, readCheckpointOwner } from "./checkpoints.ts";
import { folderNames, folderUsage, GC_ASIDE_SUFFIX, removeAside } from "./gc_folders.ts";
import { LeaseObserver, type LeaseTiming } from "./lease.ts";
import { StepLocks } from "./lock.ts";

export type CheckpointReason =
  | "no run is computing its step"
  | "left by an interrupted gc"
  | "its step lock is live"
  | "its step is planned by a run in progress"
  | "kept on request (--keep-checkpoints)";

export interface CheckpointEntry {
  /** the step fingerprint the folder is named by */
  fingerprint: string;
  path: string;
  /** the step kind, its name in the plan and the run that last opened it (null: unknown) */
  step: string | null;
  name: string | null;
  run: string | null;
  bytes: number;
  /** ISO time of its newest file (the last epoch saved); null when it holds no files */
  modified: string | null;
  reason: CheckpointReason;
}

export interface CheckpointReport {
  /** removed, or in a dry run what would be */
  removed: CheckpointEntry[];
  kept: CheckpointEntry[];
  removedBytes: number;
  keptBytes: number;
}

export interface CheckpointGcOptions {
  dryRun: boolean;
  /** keep every checkpoint folder (only an interrupted gc's leftovers go) */
  keep: boolean;
  /** step fingerprints that runs in progress have planned */
  planned: Set<string>;
  timing: LeaseTiming;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

export function collectCheckpoints(cacheDir: string, options: CheckpointGcOptions) {
  const report: CheckpointReport = { removed: [], kept: [], removedBytes: 0, keptBytes: 0 };
  const root = join(cacheDir, CHECKPOINTS_DIR);
  const locks = new StepLocks(cacheDir, { timing: options.timing, run: "gc" });
  const observer = new LeaseObserver(options.timing.ttlMs);
  const names = folderNames(root).sort();
  for (const name of names) {
    const aside = GC_ASIDE_SUFFIX.test(name);
    const fingerprint = name.replace(GC_ASIDE_SUFFIX, "");
    if (!FINGERPRINT.test(fingerprint)) continue; // not ours
    const path = join(root, name);
    const entry = describe(fingerprint, path, aside);
    if (!entry) continue; // its step was saved meanwhile, and the folder dropped
    if (!aside) {
      if (options.keep) entry.reason = "kept on request (--keep-checkpoints)";
      else if (options.planned.has(fingerprint)) {
        entry.reason = "its step is planned by a run in progress";
      } else if (options.dryRun) {
        // A holder not known to be gone counts as live (gc never waits a TTL).
        const lock = join(cacheDir, "locks", `${fingerprint}.lock`);
        if (observer.judge(lock).state === "live") entry.reason = "its step lock is live";
      } else if (!removeUnderLock(locks, fingerprint, path)) {
        entry.reason = "its step lock is live";
      }
    } else if (!options.dryRun) removeAside(path, true);
    const removed = entry.reason === "no run is computing its step" ||
      entry.reason === "left by an interrupted gc";
    (removed ? report.removed : report.kept).push(entry);
    if (removed) report.removedBytes += entry.bytes;
    else report.keptBytes += entry.bytes;
  }
  return report;
}

function describe(fingerprint: string, path: string, aside: boolean): CheckpointEntry | null {
  const owner = aside ? null : readCheckpointOwner(path);
  const usage = folderUsage(path);
  if (!usage) return null;
  const { bytes, modifiedMs } = usage;
  return {
    fingerprint,
    path,
    step: owner?.step ?? null,
    name: owner?.name ?? null,
    run: owner?.run ?? null,
    bytes,
    modified: modifiedMs === null ? null : new Date(modifiedMs).toISOString(),
    reason: aside ? "left by an interrupted gc" : "no run is computing its step",
  };
}

/**
 * Holding the step's lock, no run computes (or resumes) the step while its folder goes; a
 * lock someone else holds means it is in use. False when it was not removed for that.
 */
function removeUnderLock(locks: StepLocks, fingerprint: string, path: string): boolean {
  if (!locks.tryAcquire(fingerprint)) return false;
  try {
    removeAside(path, false);
  } finally {
    locks.release(fingerprint);
  }
  return true;
}

/** How old, for people: "5 min", "3 h", "2 d" (whole units, rounded down). */
export function ageText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}
