import { join } from "node:path";
import { denoRunArgs } from "../paths.ts";
import { followJob } from "../slurm/follow_job.ts";
import { arraySpec, jobScript, shellQuote } from "../slurm/job_script.ts";
import type { SlurmOptions } from "../slurm/launcher_options.ts";
import { cancel, checkPartition, requireSbatch, submit } from "../slurm/slurm_commands.ts";
import type { TaskEnd } from "../slurm/slurm_query.ts";
import { sharedPathWarnings } from "../slurm/shared_paths.ts";
import type { LaunchContext, SlurmSubmission, TrialResult, TrialStatus } from "./run_sweep.ts";
import { displayPath } from "./sweep_progress.ts";
import { trialRunArguments } from "./trials.ts";
import { pathExists } from "../path_exists.ts";

/** Before anything is written: sbatch present, the partition known, warnings on local paths. */
export async function checkSlurm(
  slurm: SlurmOptions,
  dirs: { cacheDir: string; resultsDir: string },
): Promise<void> {
  requireSbatch();
  await checkPartition(slurm.partition, slurm.partitionFrom);
  const warnings = sharedPathWarnings([
    { option: "--cache-dir", path: dirs.cacheDir },
    { option: "--results-dir", path: dirs.resultsDir },
  ]);
  for (const warning of warnings) console.error(warning);
}

/**
 * How a Slurm task ended, as a trial status: COMPLETED with exit 0 is a run (when its run
 * folder is there), CANCELLED is cancelled, anything else failed with Slurm's state and exit
 * code. Slurm keeps no record of an array task cancelled before it started (and forgets any
 * task MinJobAge after its end): such a task counts by its run folder, else by its log,
 * which Slurm creates when the task starts.
 */
export function trialStatusOf(
  end: TaskEnd | null,
  runDir: string | undefined,
  logFile: string,
): { status: TrialStatus; note?: string; slurmState?: string } {
  if (!end) {
    if (runDir) return { status: "ran" };
    if (!pathExists(logFile)) {
      return {
        status: "cancelled",
        note: "left the queue without starting (cancelled)",
        slurmState: "CANCELLED",
      };
    }
    return {
      status: "failed",
      note: "Slurm no longer knows the task (it ended long ago) and it left no run folder",
    };
  }
  if (end.state === "COMPLETED" && end.exitCode === 0) {
    return runDir
      ? { status: "ran" }
      : { status: "failed", note: "Slurm state COMPLETED, but no run folder has its plan" };
  }
  const exit = `exit code ${end.exitCode ?? "?"}${end.signal ? `, signal ${end.signal}` : ""}`;
  const note = `Slurm state ${end.state}, ${exit}`;
  return { status: end.state === "CANCELLED" ? "cancelled" : "failed", note };
}

/**
 * The Slurm launcher: one job script and one job array for the trials to run (task id =
 * trial number, log trial-<n>.log), then follows it by polling squeue. Ctrl-C asks whether
 * to cancel the array; saying no, or --detach, leaves it running (`sweep status` follows).
 */
export async function runTrialsOnSlurm(
  context: LaunchContext,
  slurm: SlurmOptions,
  checkpoint: (submission: SlurmSubmission) => void,
): Promise<{ results: Map<number, TrialResult>; submission: SlurmSubmission }> {
  const { sweep, toRun, dirs, sweepDir, progress } = context;
  const script = join(sweepDir, "job.sh");
  const tasks = new Map(toRun.map((trial) => [trial.index, [
    Deno.execPath(),
    ...denoRunArgs,
    context.cli,
    ...trialRunArguments(sweep, trial, dirs),
  ]]));
  const about = `Sweep of ${sweep.file}: trials ${[...tasks.keys()].join(", ")} ` +
    `of ${sweep.trials.length}, one array task each (task id = trial number).\n` +
    `Written by \`deno task sweep\`; resubmit by hand with: sbatch ${script}`;
  Deno.writeTextFileSync(
    script,
    jobScript({
      about,
      jobName: `recsys-${sweep.base.name}`,
      logFile: join(sweepDir, "trial-%a.log"),
      tasks,
      array: arraySpec([...tasks.keys()], slurm.arrayParallelism),
      workDir: Deno.cwd(),
      slurm,
    }),
    { mode: 0o755 },
  );
  const args = ["--parsable", script];
  const command = ["sbatch", ...args].map(shellQuote).join(" ");
  Deno.writeTextFileSync(join(sweepDir, "sbatch_command.txt"), command + "\n");
  // Ctrl-C from here on never kills the command between sbatch and the record of its job id:
  // until the job is recorded it is only noted, then asked about like any other.
  let jobId: string | undefined;
  let interruptedEarly = false;
  const stop = new AbortController();
  const interrupted = () => {
    if (jobId === undefined) {
      interruptedEarly = true;
      return;
    }
    // confirm() answers false at once when stdin is not a terminal: detach, never cancel.
    if (confirm(`\ncancel Slurm job ${jobId} (the sweep's remaining trials, scancel)?`)) {
      progress.note(`cancelling job ${jobId}`);
      cancel(jobId).catch((error) => progress.note(String(error)));
    } else stop.abort();
  };
  Deno.addSignalListener("SIGINT", interrupted);
  let submission: SlurmSubmission;
  try {
    try {
      jobId = await submit(args);
    } catch (error) {
      // Slurm refused the whole array: leave no sweep folder that looks submitted.
      Deno.removeSync(sweepDir, { recursive: true });
      throw error;
    }
    submission = { jobId, script, command, detached: slurm.detach === true };
    const array = arraySpec([...tasks.keys()], slurm.arrayParallelism);
    progress.note(`submitted Slurm job ${jobId} (array ${array})`);
    checkpoint(submission);
  } catch (error) {
    Deno.removeSignalListener("SIGINT", interrupted);
    throw error;
  }
  if (interruptedEarly && !submission.detached) interrupted();

  const results = new Map<number, TrialResult>();
  const byIndex = new Map(toRun.map((t) => [t.index, t]));
  const began = new Map<number, number>();
  if (submission.detached) Deno.removeSignalListener("SIGINT", interrupted);
  else {
    try {
      const ended = await followJob(
        jobId,
        new Map(toRun.map((t) => [`${jobId}_${t.index}`, t.index])),
        {
          started(index) {
            began.set(index, performance.now());
            progress.trialStarted(byIndex.get(index)!);
          },
          finished(index, end) {
            const trial = byIndex.get(index)!;
            const result: TrialResult = {
              trial,
              status: "ran",
              logFile: join(sweepDir, `trial-${index}.log`),
              slurmTask: `${jobId}_${index}`,
              slurmState: end?.state,
              exitCode: end?.exitCode ?? undefined,
              seconds: began.has(index)
                ? (performance.now() - began.get(index)!) / 1000
                : slurmSeconds(end),
            };
            if (end?.state === "COMPLETED" && end.exitCode === 0) context.recordRun(result);
            else {
              const runDir = end ? undefined : context.findRun(trial);
              const status = trialStatusOf(end, runDir, result.logFile!);
              Object.assign(result, status, runDir ? { runDir } : {});
            }
            results.set(index, result);
            progress.trialFinished(result);
          },
          counts: (counts) => progress.queue({ ...counts, finishedSeconds: secondsOf(results) }),
        },
        stop.signal,
      );
      submission.detached = ended === "detached";
    } finally {
      Deno.removeSignalListener("SIGINT", interrupted);
    }
  }
  for (const trial of toRun) {
    if (results.has(trial.index)) continue;
    results.set(trial.index, {
      trial,
      status: "submitted",
      logFile: join(sweepDir, `trial-${trial.index}.log`),
      slurmTask: `${jobId}_${trial.index}`,
    });
  }
  if (submission.detached) {
    progress.note(
      `job ${jobId} runs on without this command: follow it with ` +
        `\`deno task sweep status ${displayPath(sweepDir)}\`, cancel it with \`scancel ${jobId}\``,
    );
  }
  return { results, submission };
}

/** Slurm's own run time of a task (whole seconds), for one that ended between two polls. */
export function slurmSeconds(end: TaskEnd | null): number {
  const ms = Date.parse(end?.end ?? "") - Date.parse(end?.start ?? "");
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
}

function secondsOf(results: Map<number, TrialResult>): number[] {
  return [...results.values()].filter((r) => r.status === "ran").map((r) => r.seconds ?? 0);
}
