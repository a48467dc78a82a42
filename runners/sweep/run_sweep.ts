import { join } from "node:path";
import { UserError } from "../errors.ts";
import { denoRunArgs, projectRoot } from "../paths.ts";
import { newRunId } from "../results.ts";
import { sha256 } from "../fingerprint.ts";
import { fingerprintPlan, planFingerprint } from "../execute.ts";
import { planExperiment } from "../plan.ts";
import { defaultCacheDir, defaultResultsDir } from "../run.ts";
import { RunIndex } from "./run_index.ts";
import { writeSweepRecord } from "./sweep_record.ts";
import { SweepProgress } from "./sweep_progress.ts";
import { startTrialProcess, type TrialProcess } from "./trial_process.ts";
import { type PreparedSweep, prepareSweep, type Trial, trialRunArguments } from "./trials.ts";

export interface SweepOptions {
  /** trials running at once, each in its own process (default 1) */
  jobs?: number;
  /** on the first failure, launch nothing more and kill the running trials */
  failFast?: boolean;
  /** shared by every trial (default `.cache/`, or $RECSYS_CACHE) */
  cacheDir?: string;
  /** default `results/`, or $RECSYS_RESULTS */
  resultsDir?: string;
  /** no per-trial progress on stderr */
  quiet?: boolean;
}

/**
 * ran: run now; done: a run folder with its plan fingerprint already existed; duplicate:
 * the same resolved spec as an earlier trial; killed: stopped by --fail-fast; not run:
 * never launched because of --fail-fast.
 */
export type TrialStatus = "ran" | "done" | "duplicate" | "failed" | "killed" | "not run";

export interface TrialResult {
  trial: Trial;
  status: TrialStatus;
  runDir?: string;
  /** the worker's output (trials launched by this sweep) */
  logFile?: string;
  exitCode?: number;
  seconds?: number;
  /** for a duplicate, the trial whose run stands for it */
  duplicateOf?: number;
  /** why a trial counts as failed when its exit code does not say */
  note?: string;
}

export interface SweepOutcome {
  /** `<time>-<hash>`, like a run id; names the sweep folder */
  sweepId: string;
  /** results/<name>/.sweeps/<sweep id>/ (logs, sweep.json); absent when nothing ran */
  sweepDir?: string;
  results: TrialResult[];
  /** trials that failed or were killed */
  failed: number;
  seconds: number;
}

const cli = join(projectRoot, "runners", "cli.ts");

/** Expands, validates and runs a sweep (see prepareSweep and executeSweep). */
export async function runSweep(
  file: string,
  setArguments: string[],
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  return executeSweep(await prepareSweep(file, setArguments), options);
}

/**
 * Runs the trials not done yet, at most `jobs` at once, each as `cli.ts run` in its own
 * process sharing the cache (the per-step locks make shared upstream steps compute once).
 */
export async function executeSweep(
  sweep: PreparedSweep,
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  const started = new Date();
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new UserError(`expected an integer >= 1, got '${options.jobs}'`, { path: "--jobs" });
  }
  const dirs = {
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    resultsDir: options.resultsDir ?? defaultResultsDir(),
  };
  const index = new RunIndex(dirs.resultsDir);
  const results = new Map<number, TrialResult>();
  const firstWithFingerprint = new Map<string, Trial>();
  const toRun: Trial[] = [];
  // A trial is done when a run folder has its plan fingerprint: the same spec run by the
  // same code on the same data (a spec alone would hide a code change behind stale metrics).
  const plans = new Map<number, string>();
  for (const trial of sweep.trials) {
    plans.set(trial.index, await trialPlanFingerprint(trial, dirs.cacheDir));
  }
  for (const trial of sweep.trials) {
    const first = firstWithFingerprint.get(trial.fingerprint);
    const runDir = index.find(trial.spec.name, plans.get(trial.index)!);
    if (first) results.set(trial.index, { trial, status: "duplicate", duplicateOf: first.index });
    else if (runDir) results.set(trial.index, { trial, status: "done", runDir });
    else toRun.push(trial);
    if (!first) firstWithFingerprint.set(trial.fingerprint, trial);
  }

  const sweepId = newRunId(started, sha256(sweep.trials.map((t) => t.fingerprint).join(",")));
  const sweepDir = toRun.length
    ? join(dirs.resultsDir, sweep.base.name, ".sweeps", sweepId)
    : undefined;
  if (sweepDir) Deno.mkdirSync(sweepDir, { recursive: true });
  const progress = new SweepProgress(sweep.trials.length, options.quiet);
  progress.planned(
    { toRun: toRun.length, done: sweep.trials.length - toRun.length, jobs },
    sweepDir,
  );

  const queue = [...toRun];
  const running = new Map<number, TrialProcess>();
  // sweep.json as the sweep goes, for whoever watches it (the results browser).
  const recordProgress = () =>
    writeSweepRecord(sweepDir!, sweep, {
      sweepId,
      seconds: (Date.now() - started.getTime()) / 1000,
      results: sweep.trials.map((trial) =>
        results.get(trial.index) ??
          { trial, status: running.has(trial.index) ? "running" as const : "pending" as const }
      ),
    }, { started, finished: null, jobs });
  const killed = new Set<number>();
  let stopping = false;
  const runTrial = async (trial: Trial) => {
    const logFile = join(sweepDir!, `trial-${trial.index}.log`);
    progress.trialStarted(trial);
    const began = performance.now();
    const worker = startTrialProcess(
      [...denoRunArgs, cli, ...trialRunArguments(sweep, trial, dirs)],
      logFile,
    );
    running.set(trial.index, worker);
    recordProgress();
    const status = await worker.finished;
    running.delete(trial.index);
    const result: TrialResult = {
      trial,
      status: "ran",
      logFile,
      exitCode: status.code,
      seconds: (performance.now() - began) / 1000,
    };
    if (status.success) {
      const plan = plans.get(trial.index)!;
      result.runDir = index.find(trial.spec.name, plan);
      // Resuming relies on finding the run by fingerprint: a miss is a bug to report loudly
      // (or the code changed while the sweep ran).
      if (!result.runDir) {
        result.status = "failed";
        result.note = `exited 0 but no run folder has plan fingerprint ${plan}`;
      }
    } else if (killed.has(trial.index)) result.status = "killed";
    else result.status = "failed";
    if (result.status === "failed" && options.failFast && !stopping) {
      stopping = true;
      for (const [other, process] of running) {
        killed.add(other);
        process.kill();
      }
    }
    results.set(trial.index, result);
    recordProgress();
    progress.trialFinished(result);
  };
  const workerLoop = async () => {
    while (!stopping && queue.length) await runTrial(queue.shift()!);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, workerLoop));
  for (const trial of queue) results.set(trial.index, { trial, status: "not run" });

  const ordered = sweep.trials.map((t) => results.get(t.index)!);
  for (const result of ordered) {
    if (result.duplicateOf) result.runDir = results.get(result.duplicateOf)!.runDir;
  }
  const finished = new Date();
  const outcome: SweepOutcome = {
    sweepId,
    sweepDir,
    results: ordered,
    failed: ordered.filter((r) => r.status === "failed" || r.status === "killed").length,
    seconds: (finished.getTime() - started.getTime()) / 1000,
  };
  if (sweepDir) writeSweepRecord(sweepDir, sweep, outcome, { started, finished, jobs });
  return outcome;
}

/** The plan fingerprint `run` will record for this trial (raw files hashed via the memo). */
async function trialPlanFingerprint(trial: Trial, cacheDir: string): Promise<string> {
  const steps = planExperiment(trial.spec);
  return planFingerprint(await fingerprintPlan(steps, cacheDir));
}
