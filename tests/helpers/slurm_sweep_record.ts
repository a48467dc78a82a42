/**
 * A Slurm sweep as a detached `sweep --launcher slurm` leaves it: sweep.json with every trial
 * "submitted" to one job array, and a fake Slurm that answers pollOnce's questions from a
 * table the test sets, so the code that follows the sweep runs without a cluster.
 */
import { join } from "node:path";
import type { FollowHooks } from "../../runners/slurm/follow_job.ts";
import type { TaskEnd } from "../../runners/slurm/slurm_query.ts";
import type { SweepRecordFile } from "../../runners/sweep/sweep_record_merge.ts";

export const JOB = "77";
export const EXPERIMENT = "toppop";
export const SWEEP_ID = "20261130T120000Z-5a7c0d";

export interface SlurmSweepOptions {
  experiment?: string;
  sweepId?: string;
  /** trial n's plan fingerprint (default `plan-n`) */
  plans?: string[];
}

/** `trials` submitted trials, trial n as task `77_n`; returns the sweep folder. */
export function writeSlurmSweep(
  resultsDir: string,
  trials: number,
  options: SlurmSweepOptions = {},
): string {
  const experiment = options.experiment ?? EXPERIMENT;
  const sweepId = options.sweepId ?? SWEEP_ID;
  const dir = join(resultsDir, experiment, ".sweeps", sweepId);
  Deno.mkdirSync(dir, { recursive: true });
  const record: SweepRecordFile = {
    sweep_id: sweepId,
    spec: `/specs/${experiment}.yaml`,
    experiment,
    results_dir: resultsDir,
    started: "2026-11-30T12:00:00.000Z",
    finished: "2026-11-30T12:00:01.000Z",
    jobs: 1,
    launcher: { type: "slurm", job_id: JOB },
    trials: Array.from({ length: trials }, (_, i) => ({
      trial: i + 1,
      overrides: [`data.clean.min_user_ratings=${i + 1}`],
      status: "submitted",
      plan_fingerprint: options.plans?.[i] ?? `plan-${i + 1}`,
      run_dir: null,
      log: join(dir, `trial-${i + 1}.log`),
      exit_code: null,
      seconds: null,
      slurm_task: `${JOB}_${i + 1}`,
      slurm_state: null,
    })),
  };
  Deno.writeTextFileSync(join(dir, "sweep.json"), JSON.stringify(record, null, 2) + "\n");
  return dir;
}

/** A run folder the sweep's RunIndex finds for trial n (run.json with plan-n). */
export function writeTrialRun(resultsDir: string, trial: number): string {
  const dir = join(resultsDir, EXPERIMENT, `20261130T12000${trial}Z-00000${trial}`);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(
    join(dir, "run.json"),
    JSON.stringify({ plan_fingerprint: `plan-${trial}` }),
  );
  return dir;
}

export const ended = (state: string, exitCode: number): TaskEnd => ({
  state,
  exitCode,
  signal: 0,
  reason: "None",
  start: "2026-11-30T12:00:02",
  end: "2026-11-30T12:00:05",
});

/**
 * Slurm as a table: a task is PENDING until set RUNNING or to its end. `calls` counts
 * polls; `inFlight` the polls running at once (one poller per sweep: never above 1).
 */
export class FakeSlurm {
  readonly tasks = new Map<string, "PENDING" | "RUNNING" | TaskEnd>();
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** called at the start of each poll, before it answers (a test may change the table) */
  onPoll: (call: number) => void | Promise<void> = () => {};

  poll = async (
    _jobId: string,
    open: Map<string, number>,
    started: Set<string>,
    hooks: FollowHooks,
  ): Promise<void> => {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.onPoll(this.calls);
      for (const [id, key] of open) {
        const state = this.tasks.get(id) ?? "PENDING";
        if (state === "PENDING") continue;
        if (state === "RUNNING") {
          if (!started.has(id)) {
            started.add(id);
            hooks.started?.(key);
          }
          continue;
        }
        open.delete(id);
        hooks.finished(key, state);
      }
    } finally {
      this.inFlight--;
    }
  };
}
