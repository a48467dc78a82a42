import { join } from "node:path";
import { denoRunArgs } from "../paths.ts";
import type { LaunchContext, TrialResult } from "./run_sweep.ts";
import { startTrialProcess, type TrialProcess } from "./trial_process.ts";
import { type Trial, trialRunArguments } from "./trials.ts";

/**
 * The local launcher: at most `jobs` trials at once, each `cli.ts run` in its own process on
 * this machine; with fail-fast, the first failure kills the running ones and launches no more
 * (those get "not run").
 */
export async function runTrialsLocally(
  context: LaunchContext,
  options: { jobs: number; failFast: boolean },
): Promise<Map<number, TrialResult>> {
  const { sweep, toRun, dirs, sweepDir, progress } = context;
  const results = new Map<number, TrialResult>();
  const queue = [...toRun];
  const running = new Map<number, TrialProcess>();
  const killed = new Set<number>();
  let stopping = false;
  const runTrial = async (trial: Trial) => {
    const logFile = join(sweepDir, `trial-${trial.index}.log`);
    progress.trialStarted(trial);
    const began = performance.now();
    const worker = startTrialProcess(
      [...denoRunArgs, context.cli, ...trialRunArguments(sweep, trial, dirs)],
      logFile,
    );
    running.set(trial.index, worker);
    context.trialStarted?.(trial);
    const status = await worker.finished;
    running.delete(trial.index);
    const result: TrialResult = {
      trial,
      status: "ran",
      logFile,
      exitCode: status.code,
      seconds: (performance.now() - began) / 1000,
    };
    if (status.success) context.recordRun(result);
    else if (killed.has(trial.index)) result.status = "killed";
    else result.status = "failed";
    if (result.status === "failed" && options.failFast && !stopping) {
      stopping = true;
      for (const [other, process] of running) {
        killed.add(other);
        process.kill();
      }
    }
    results.set(trial.index, result);
    context.trialEnded?.(result);
    progress.trialFinished(result);
  };
  const workerLoop = async () => {
    while (!stopping && queue.length) await runTrial(queue.shift()!);
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, queue.length) }, workerLoop));
  for (const trial of queue) results.set(trial.index, { trial, status: "not run" });
  return results;
}
