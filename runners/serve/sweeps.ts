/**
 * Sweeps as the browser shows them: each `<results>/<experiment>/.sweeps/<sweep id>/sweep.json`
 * (written by the sweep when it starts and after every trial), with progress, an estimate of
 * the time left, and the end of each failed trial's log.
 */
import { basename, join } from "node:path";
import { RUN_ID_PATTERN } from "../compare/load_runs.ts";
import type { FollowState } from "./slurm_followers.ts";

export interface SweepTrialView {
  trial: number;
  overrides: string[];
  status: string;
  run_dir: string | null;
  /** the run's id when its folder lies in this experiment */
  run_id: string | null;
  exit_code: number | null;
  seconds: number | null;
  note?: string;
  /** failed trials: the last lines of their log */
  error?: string;
  /** a Slurm sweep's array task ("12_3") */
  slurm_task?: string;
}

export interface SweepView {
  experiment: string;
  id: string;
  spec: string;
  started: string;
  finished: string | null;
  jobs: number;
  trials: SweepTrialView[];
  total: number;
  /** trials no longer pending or running */
  completed: number;
  failed: number;
  running: boolean;
  /** seconds left, from the mean time of the trials run so far; null when unknown */
  eta: number | null;
  /** the Slurm job of a Slurm sweep; null for a local one */
  slurm_job: string | null;
  /** how the server follows a Slurm sweep still queued (see slurm_followers.ts) */
  follow?: FollowState;
}

const FINISHED = new Set(["ran", "done", "duplicate", "failed", "killed", "not run", "cancelled"]);
const FAILED = new Set(["failed", "killed", "cancelled"]);
/** Waiting or running: a local trial not started or in progress, a Slurm task not ended. */
const OPEN = new Set(["pending", "running", "submitted"]);
const LOG_TAIL_LINES = 15;

export function sweepsDir(resultsDir: string, experiment: string): string {
  return join(resultsDir, experiment, ".sweeps");
}

/** The sweeps of an experiment, newest first. Unreadable records are skipped. */
export function listSweeps(resultsDir: string, experiment: string): SweepView[] {
  const dir = sweepsDir(resultsDir, experiment);
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory && RUN_ID_PATTERN.test(e.name))
      .map((e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort().reverse().map((id) => readSweep(resultsDir, experiment, id))
    .filter((s): s is SweepView => s !== undefined);
}

/** sweep.json's path, its mtime (what the live page watches), and the view. */
export function sweepFile(resultsDir: string, experiment: string, id: string): string {
  return join(sweepsDir(resultsDir, experiment), id, "sweep.json");
}

export function readSweep(
  resultsDir: string,
  experiment: string,
  id: string,
): SweepView | undefined {
  const file = sweepFile(resultsDir, experiment, id);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(Deno.readTextFileSync(file));
  } catch {
    return undefined; // not written yet, or replaced as we read: the next look sees it
  }
  const experimentDir = join(resultsDir, experiment);
  const trials = ((record.trials ?? []) as Array<Record<string, unknown>>).map((t) =>
    trialView(t, experimentDir, join(sweepsDir(resultsDir, experiment), id))
  );
  const completed = trials.filter((t) => FINISHED.has(t.status)).length;
  const failed = trials.filter((t) => FAILED.has(t.status)).length;
  const finished = typeof record.finished === "string" ? record.finished : null;
  return {
    experiment,
    id,
    spec: String(record.spec ?? ""),
    started: String(record.started ?? ""),
    finished,
    jobs: Number(record.jobs ?? 1),
    trials,
    total: trials.length,
    completed,
    failed,
    // A Slurm sweep may have ended its own process with tasks still queued ("submitted").
    running: finished === null || trials.some((t) => OPEN.has(t.status)),
    eta: eta(trials, Number(record.jobs ?? 1)),
    slurm_job: slurmJobOf(record),
  };
}

function slurmJobOf(record: Record<string, unknown>): string | null {
  const launcher = record.launcher as { type?: unknown; job_id?: unknown } | null | undefined;
  return launcher?.type === "slurm" && launcher.job_id !== undefined
    ? String(launcher.job_id)
    : null;
}

function trialView(
  t: Record<string, unknown>,
  experimentDir: string,
  sweepDir: string,
): SweepTrialView {
  const runDir = typeof t.run_dir === "string" ? t.run_dir : null;
  const runId = runDir && RUN_ID_PATTERN.test(basename(runDir)) &&
      join(experimentDir, basename(runDir)) === runDir
    ? basename(runDir)
    : null;
  const view: SweepTrialView = {
    trial: Number(t.trial),
    overrides: Array.isArray(t.overrides) ? t.overrides.map(String) : [],
    status: String(t.status),
    run_dir: runDir,
    run_id: runId,
    exit_code: typeof t.exit_code === "number" ? t.exit_code : null,
    seconds: typeof t.seconds === "number" ? t.seconds : null,
    ...(typeof t.note === "string" ? { note: t.note } : {}),
    ...(typeof t.slurm_task === "string" ? { slurm_task: t.slurm_task } : {}),
  };
  if (FAILED.has(view.status) && typeof t.log === "string") {
    // Only the sweep's own folder is read, whatever path the record names.
    view.error = logTail(join(sweepDir, basename(t.log)));
  }
  return view;
}

function logTail(file: string): string | undefined {
  try {
    const lines = Deno.readTextFileSync(file).trimEnd().split("\n");
    return lines.slice(-LOG_TAIL_LINES).join("\n");
  } catch {
    return undefined;
  }
}

/** Trials left times the mean trial time, shared over the parallel jobs. */
function eta(trials: SweepTrialView[], jobs: number): number | null {
  const times = trials.filter((t) => t.status === "ran" && t.seconds !== null).map((t) =>
    t.seconds!
  );
  const left = trials.filter((t) => OPEN.has(t.status)).length;
  if (left === 0) return 0;
  if (times.length === 0) return null;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return (left * mean) / Math.max(1, jobs);
}
