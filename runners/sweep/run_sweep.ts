import { join } from "node:path";
import { UserError } from "../errors.ts";
import { projectRoot } from "../paths.ts";
import type { Launcher } from "../slurm/launcher_options.ts";
import { newRunId } from "../results.ts";
import { sha256 } from "../fingerprint.ts";
import { fingerprintPlan, planFingerprint } from "../execute.ts";
import { planExperiment } from "../plan.ts";
import { defaultCacheDir, defaultResultsDir } from "../run.ts";
import { RunIndex } from "./run_index.ts";
import { sweepRecordOf, writeSweepRecord } from "./sweep_record.ts";
import { replaceSweepRecord } from "./sweep_record_merge.ts";
import { SweepProgress } from "./sweep_progress.ts";
import { runTrialsLocally } from "./local_trials.ts";
import { checkSlurm, runTrialsOnSlurm } from "./slurm_trials.ts";
import { type PreparedSweep, prepareSweep, type Trial } from "./trials.ts";

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
  /** where the trials run (default: local processes) */
  launcher?: Launcher;
}

/**
 * ran: run now; done: a run folder with its plan fingerprint already existed; duplicate:
 * the same resolved spec as an earlier trial; killed: stopped by --fail-fast; not run:
 * never launched because of --fail-fast; cancelled: its Slurm task was cancelled;
 * submitted: queued on Slurm by a detached sweep, outcome not known yet.
 */
export type TrialStatus =
  | "ran"
  | "done"
  | "duplicate"
  | "failed"
  | "killed"
  | "not run"
  | "cancelled"
  | "submitted";

/** The statuses that count as a failed trial (exit 1). */
export const FAILED: ReadonlySet<TrialStatus> = new Set(["failed", "killed", "cancelled"]);

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
  /** the Slurm task ("12_3") and its final state (COMPLETED, FAILED, TIMEOUT, ...) */
  slurmTask?: string;
  slurmState?: string;
}

/** What a sweep submitted to Slurm: enough to follow it or resubmit it by hand. */
export interface SlurmSubmission {
  jobId: string;
  script: string;
  /** the exact sbatch command, as a shell line */
  command: string;
  /** the command returned at once (--detach, or Ctrl-C without cancelling) */
  detached: boolean;
}

/** What a launcher gets: the trials to run and where their logs and runs go. */
export interface LaunchContext {
  sweep: PreparedSweep;
  toRun: Trial[];
  dirs: { cacheDir: string; resultsDir: string };
  sweepDir: string;
  progress: SweepProgress;
  /** runners/cli.ts, which each trial runs as `run` */
  cli: string;
  /** trial index -> the plan fingerprint its run will record */
  plans: Map<number, string>;
  /** the newest run folder with the trial's plan fingerprint */
  findRun(trial: Trial): string | undefined;
  /** for a trial that exited 0: finds its run folder, or marks it failed when none */
  recordRun(result: TrialResult): void;
  /** a local trial started or ended: sweep.json is rewritten for whoever follows the sweep */
  trialStarted?(trial: Trial): void;
  trialEnded?(result: TrialResult): void;
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
  slurm?: SlurmSubmission;
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
 * Runs the trials not done yet, each as `cli.ts run` sharing the cache (the per-step locks,
 * leases that hold across hosts, make shared upstream steps compute once): locally at most
 * `jobs` at once, or as one Slurm job array.
 */
export async function executeSweep(
  sweep: PreparedSweep,
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  const started = new Date();
  const jobs = options.jobs ?? 1;
  const launcher = options.launcher ?? { type: "local" };
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
  // Slurm's checks come before the sweep folder: a refused sweep leaves nothing behind.
  if (toRun.length && launcher.type === "slurm") await checkSlurm(launcher.slurm, dirs);
  if (sweepDir) Deno.mkdirSync(sweepDir, { recursive: true });
  const progress = new SweepProgress(sweep.trials.length, options.quiet);
  progress.planned(
    {
      toRun: toRun.length,
      done: sweep.trials.length - toRun.length,
      // Without --array-parallelism, Slurm alone decides how many run at once.
      jobs: launcher.type === "slurm" ? launcher.slurm.arrayParallelism : jobs,
    },
    sweepDir,
    launcher.type,
  );

  const context: LaunchContext = {
    sweep,
    toRun,
    dirs,
    sweepDir: sweepDir!,
    progress,
    cli,
    plans,
    findRun: (trial) => index.find(trial.spec.name, plans.get(trial.index)!),
    recordRun(result) {
      const plan = plans.get(result.trial.index)!;
      result.runDir = index.find(result.trial.spec.name, plan);
      // Resuming relies on finding the run by fingerprint: a miss is a bug to report loudly
      // (or the code changed while the sweep ran).
      if (!result.runDir) {
        result.status = "failed";
        result.note = `exited 0 but no run folder has plan fingerprint ${plan}`;
      }
    },
  };
  /** The outcome so far, as sweep.json records it (also right after a Slurm submission). */
  const outcomeOf = (done: Map<number, TrialResult>, slurm?: SlurmSubmission): SweepOutcome => {
    const ordered = sweep.trials.map((t) =>
      done.get(t.index) ?? { trial: t, status: "submitted" as const }
    );
    for (const result of ordered) {
      if (result.duplicateOf) result.runDir = ordered[result.duplicateOf - 1].runDir;
    }
    return {
      sweepId,
      sweepDir,
      results: ordered,
      failed: ordered.filter((r) => FAILED.has(r.status)).length,
      seconds: (Date.now() - started.getTime()) / 1000,
      ...(slurm ? { slurm } : {}),
    };
  };
  const about = () => ({ started, finished: new Date(), jobs, plans, dirs });
  // A local sweep's sweep.json as it goes: trials ended, running, or still waiting.
  const ended = new Map<number, TrialResult>();
  const running = new Set<number>();
  const writeLive = () =>
    writeSweepRecord(sweepDir!, sweep, {
      sweepId,
      sweepDir,
      results: sweep.trials.map((trial) =>
        results.get(trial.index) ?? ended.get(trial.index) ??
          { trial, status: running.has(trial.index) ? "running" as const : "pending" as const }
      ),
      failed: [...ended.values()].filter((r) => FAILED.has(r.status)).length,
      seconds: (Date.now() - started.getTime()) / 1000,
    }, { started, finished: null, jobs, plans, dirs });
  context.trialStarted = (trial) => {
    running.add(trial.index);
    writeLive();
  };
  context.trialEnded = (result) => {
    running.delete(result.trial.index);
    ended.set(result.trial.index, result);
    writeLive();
  };
  let slurm: SlurmSubmission | undefined;
  if (!toRun.length) {
    // nothing to launch
  } else if (launcher.type === "slurm") {
    const submitted = await runTrialsOnSlurm(
      context,
      launcher.slurm,
      // The sweep's first record: no one follows the job before it exists.
      (submission) => writeSweepRecord(sweepDir!, sweep, outcomeOf(results, submission), about()),
    );
    slurm = submitted.submission;
    for (const [i, result] of submitted.results) results.set(i, result);
  } else {
    const ran = await runTrialsLocally(context, { jobs, failFast: options.failFast === true });
    for (const [i, result] of ran) results.set(i, result);
  }

  const outcome = outcomeOf(results, slurm);
  if (sweepDir && slurm) {
    // `sweep status` or the results browser may have recorded trials of the job meanwhile.
    await replaceSweepRecord(sweepDir, sweepRecordOf(sweep, outcome, about()));
  } else if (sweepDir) writeSweepRecord(sweepDir, sweep, outcome, about());
  return outcome;
}

/** The plan fingerprint `run` will record for this trial (raw files hashed via the memo). */
async function trialPlanFingerprint(trial: Trial, cacheDir: string): Promise<string> {
  const steps = planExperiment(trial.spec);
  return planFingerprint(await fingerprintPlan(steps, cacheDir));
}
