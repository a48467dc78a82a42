/**
 * Ended Slurm tasks merged into a sweep's sweep.json by whoever follows the sweep: `sweep
 * status` and the results browser, possibly both at once and on different hosts. Each
 * merge takes the record's lease (the cache's lock: valid across hosts), reads the file as
 * it is now, moves only trials still "submitted" to their end, and replaces the file
 * whole. So no follower overwrites another's ends with a stale copy, and merging the same
 * end twice changes nothing.
 */
import { join } from "node:path";
import { StepLocks } from "../cache/lock.ts";

/** One trial of sweep.json, as writeSweepRecord writes it. */
export interface SweepRecordTrial {
  trial: number;
  overrides: string[];
  status: string;
  plan_fingerprint: string | null;
  run_dir: string | null;
  log: string | null;
  exit_code: number | null;
  seconds?: number | null;
  slurm_task?: string;
  slurm_state?: string | null;
  note?: string;
}

/** The fields of sweep.json its followers read; the rest is kept as written. */
export interface SweepRecordFile {
  sweep_id: string;
  experiment: string;
  results_dir: string;
  launcher?: { type: string; job_id?: string; [field: string]: unknown };
  trials: SweepRecordTrial[];
  [field: string]: unknown;
}

/** What a trial's end changes in its entry. */
export type TrialEnd = Partial<Omit<SweepRecordTrial, "trial" | "overrides" | "slurm_task">>;

const LOCK_KEY = "sweep-record";

export function sweepRecordFile(sweepDir: string): string {
  return join(sweepDir, "sweep.json");
}

/** sweep.json of a sweep folder; throws when it is missing or not JSON. */
export function readSweepRecord(sweepDir: string): SweepRecordFile {
  return JSON.parse(Deno.readTextFileSync(sweepRecordFile(sweepDir)));
}

/** The Slurm tasks of trials still queued (status "submitted"): task id -> trial number. */
export function openSlurmTasks(record: SweepRecordFile): Map<string, number> {
  const open = new Map<string, number>();
  if (record.launcher?.type !== "slurm") return open;
  for (const t of record.trials) {
    if (t.status === "submitted" && t.slurm_task) open.set(t.slurm_task, t.trial);
  }
  return open;
}

/**
 * Merges ended tasks (Slurm task id -> the trial's new fields) into sweep.json under its
 * lease; returns the record as written.
 */
export function mergeTrialEnds(
  sweepDir: string,
  ends: Map<string, TrialEnd>,
): Promise<SweepRecordFile> {
  return updateSweepRecord(sweepDir, (record) => {
    let changed = false;
    for (const entry of record.trials) {
      const end = entry.slurm_task === undefined ? undefined : ends.get(entry.slurm_task);
      // A trial already ended keeps its end: another follower recorded it first.
      if (end === undefined || entry.status !== "submitted") continue;
      Object.assign(entry, end);
      changed = true;
    }
    return changed;
  });
}

/**
 * The submitting command's own record of a Slurm sweep, written under the lease: a trial
 * it still has as submitted keeps the end a follower recorded meanwhile.
 */
export function replaceSweepRecord(
  sweepDir: string,
  next: SweepRecordFile,
): Promise<SweepRecordFile> {
  return updateSweepRecord(sweepDir, (current) => {
    const recorded = new Map(current.trials.map((t) => [t.slurm_task ?? `#${t.trial}`, t]));
    const trials = next.trials.map((t) => {
      const earlier = recorded.get(t.slurm_task ?? `#${t.trial}`);
      return t.status === "submitted" && earlier && earlier.status !== "submitted" ? earlier : t;
    });
    for (const key of Object.keys(current)) delete current[key];
    Object.assign(current, next, { trials });
    return true;
  });
}

/**
 * Changes sweep.json under its lease: `change` gets the file as it is now and says whether
 * it changed it; then the file is replaced whole. Returns the record as it is after.
 */
export async function updateSweepRecord(
  sweepDir: string,
  change: (record: SweepRecordFile) => boolean,
): Promise<SweepRecordFile> {
  const locks = new StepLocks(sweepDir, { run: "sweep.json update" });
  await locks.acquire(LOCK_KEY);
  try {
    const record = readSweepRecord(sweepDir);
    if (change(record)) {
      // Written aside and renamed: readers (the browser) never see half a file.
      const temporary = join(sweepDir, `.sweep.json.${crypto.randomUUID().slice(0, 8)}.tmp`);
      Deno.writeTextFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
      Deno.renameSync(temporary, sweepRecordFile(sweepDir));
    }
    return record;
  } finally {
    locks.release(LOCK_KEY);
  }
}
