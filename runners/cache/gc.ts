/**
 * Garbage collection of the cache: removes the artifacts (`<cache>/artifacts/<fp:2>/<fp>/`)
 * that no kept run references (see gc_references.ts). Never removed: an artifact a kept run
 * recorded, one that a run in progress uses (run_marks.ts), one whose step lock is live (a
 * run is computing or replacing it), everything when some run does not record its steps,
 * and a scratch folder whose lease is live (scratch folders are pruned only through
 * ScratchFolders, which removes expired ones alone). Checkpoint folders of unfinished steps
 * are their own group (gc_checkpoints.ts): removed unless their step is being computed.
 * `dryRun` reports what would go and touches nothing.
 */
import { join } from "node:path";
import { DEFAULT_LEASE_TIMING, LeaseObserver, type LeaseTiming } from "./lease.ts";
import { ScratchFolders } from "./scratch.ts";
import { type CheckpointReport, collectCheckpoints } from "./gc_checkpoints.ts";
import { referencedFingerprints } from "./gc_references.ts";
import { runsInProgress } from "./run_marks.ts";
import { realFolder } from "../run_folder/run_location.ts";
import { folderNames, folderUsage, GC_ASIDE_SUFFIX, removeAside } from "./gc_folders.ts";

export interface GcOptions {
  cacheDir: string;
  /** every results folder whose runs use this cache */
  resultsDirs: string[];
  dryRun: boolean;
  /** keep every fine-tune checkpoint folder, to resume those runs later */
  keepCheckpoints?: boolean;
  /** lease timing of scratch folders and locks (tests shorten it) */
  leaseTiming?: LeaseTiming;
}

export type GcReason =
  | "unreferenced"
  | "referenced by a kept run"
  | "used by a run in progress"
  | "its step lock is live"
  | "some run does not record its steps"
  | "left by an interrupted gc";

export interface GcEntry {
  /** the folder's name: a step fingerprint */
  fingerprint: string;
  path: string;
  /** the step kind its manifest names (null: no readable manifest) */
  step: string | null;
  bytes: number;
  reason: GcReason;
}

export interface GcReport {
  cacheDir: string;
  dryRun: boolean;
  /** removed, or with dryRun what would be */
  removed: GcEntry[];
  kept: GcEntry[];
  removedBytes: number;
  keptBytes: number;
  /** run folders read, archived and suite or sweep members included */
  runsRead: number;
  /** runs without a usable record of their steps: while any exists, nothing is removed */
  unrecordedRuns: string[];
  /** checkpoint folders of unfinished steps (gc_checkpoints.ts), their own group */
  checkpoints: CheckpointReport;
  /** scratch folders removed (their lease expired) and left (in use, or dry run) */
  scratch: { pruned: number; left: number };
  /** marks of runs in progress (see run_marks.ts): those that may be live, stale ones removed */
  runsInProgress: { live: string[]; staleRemoved: number };
}

/** The folder name of an artifact (a sha256), and of one an interrupted gc left aside. */
const ARTIFACT = /^[0-9a-f]{64}$/;
const GC_ASIDE = new RegExp(`^[0-9a-f]{64}${GC_ASIDE_SUFFIX.source}`);

export function collectGarbage(options: GcOptions): Promise<GcReport> {
  return new Promise((resolve) => resolve(collect(options)));
}

function collect(options: GcOptions): GcReport {
  const cacheDir = realFolder(options.cacheDir, "cache folder");
  // Marks first: a run that ends meanwhile wrote its run folder before removing its mark.
  const inProgress = runsInProgress(cacheDir);
  const references = referencedFingerprints(options.resultsDirs);
  const timing = options.leaseTiming ?? DEFAULT_LEASE_TIMING;
  const locks = new LeaseObserver(timing.ttlMs);
  const conservative = references.unrecorded.length > 0;
  const report: GcReport = {
    cacheDir,
    dryRun: options.dryRun,
    removed: [],
    kept: [],
    removedBytes: 0,
    keptBytes: 0,
    runsRead: references.runs,
    unrecordedRuns: references.unrecorded,
    checkpoints: { removed: [], kept: [], removedBytes: 0, keptBytes: 0 },
    scratch: { pruned: 0, left: 0 },
    runsInProgress: { live: inProgress.live, staleRemoved: 0 },
  };
  for (const { name, path } of artifactFolders(join(cacheDir, "artifacts"))) {
    const aside = GC_ASIDE.test(name);
    const fingerprint = aside ? name.slice(0, 64) : name;
    let reason: GcReason = aside ? "left by an interrupted gc" : "unreferenced";
    if (aside) {
      // ours alone: removed whatever the runs say
    } else if (references.fingerprints.has(fingerprint)) reason = "referenced by a kept run";
    else if (inProgress.fingerprints.has(fingerprint)) reason = "used by a run in progress";
    else if (lockIsLive(locks, join(cacheDir, "locks", `${fingerprint}.lock`))) {
      reason = "its step lock is live";
    } else if (conservative) reason = "some run does not record its steps";
    const bytes = folderUsage(path)?.bytes ?? 0;
    const entry: GcEntry = { fingerprint, path, step: stepOf(path), bytes, reason };
    const remove = reason === "unreferenced" || reason === "left by an interrupted gc";
    if (remove && !options.dryRun) removeAside(path, aside);
    (remove ? report.removed : report.kept).push(entry);
    if (remove) report.removedBytes += entry.bytes;
    else report.keptBytes += entry.bytes;
  }
  report.checkpoints = collectCheckpoints(cacheDir, {
    dryRun: options.dryRun,
    keep: options.keepCheckpoints ?? false,
    planned: inProgress.fingerprints,
    timing,
  });
  if (!options.dryRun) {
    for (const mark of inProgress.stale) Deno.removeSync(mark);
    report.runsInProgress.staleRemoved = inProgress.stale.length;
  }
  const scratch = new ScratchFolders(join(cacheDir, "scratch"), timing);
  if (!options.dryRun) report.scratch.pruned = scratch.prune();
  report.scratch.left = countScratch(join(cacheDir, "scratch"));
  return report;
}

/** Folders under `artifacts/<2 hex>/` named like an artifact (or a gc's leftover), sorted. */
function artifactFolders(root: string): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  for (const shard of folderNames(root)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of folderNames(join(root, shard))) {
      if (!name.startsWith(shard) || !(ARTIFACT.test(name) || GC_ASIDE.test(name))) continue;
      out.push({ name, path: join(root, shard, name) });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A lock of a holder that is not known to be gone counts as live: gc never waits a TTL. */
function lockIsLive(observer: LeaseObserver, lockFile: string): boolean {
  return observer.judge(lockFile).state === "live";
}

function stepOf(dir: string): string | null {
  try {
    const step = JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json"))).step;
    return typeof step === "string" ? step : null;
  } catch {
    return null;
  }
}

function countScratch(root: string): number {
  return folderNames(root).filter((name) => /^step-[0-9a-f]{12}$/.test(name)).length;
}
