import { join } from "node:path";
import type { SweepOutcome, TrialResult } from "./run_sweep.ts";
import type { Selection } from "./select.ts";
import type { PreparedSweep } from "./trials.ts";
import { type SweepRecordFile, updateSweepRecord } from "./sweep_record_merge.ts";

/** A local trial not finished yet, in the record a running sweep keeps up to date. */
export type PendingTrial = Pick<TrialResult, "trial"> & { status: "running" | "pending" };

/**
 * sweep.json: what was tried and where each trial's run and log are. A local sweep also
 * writes it whenever a trial starts or ends (`finished` null until the end), so a reader
 * such as the results browser follows it live; each write replaces the file whole.
 */
export function writeSweepRecord(
  sweepDir: string,
  sweep: PreparedSweep,
  outcome: SweepRecordOutcome,
  about: SweepRecordAbout,
) {
  const record = sweepRecordOf(sweep, outcome, about);
  const temporary = join(sweepDir, ".sweep.json.tmp");
  Deno.writeTextFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  Deno.renameSync(temporary, join(sweepDir, "sweep.json"));
}

export type SweepRecordOutcome = Omit<SweepOutcome, "results"> & {
  results: Array<TrialResult | PendingTrial>;
};

export interface SweepRecordAbout {
  started: Date;
  finished: Date | null;
  jobs: number;
  plans: Map<number, string>;
  dirs: { cacheDir: string; resultsDir: string };
}

/** sweep.json's content. */
export function sweepRecordOf(
  sweep: PreparedSweep,
  outcome: SweepRecordOutcome,
  about: SweepRecordAbout,
): SweepRecordFile {
  const slurm = outcome.slurm;
  return {
    sweep_id: outcome.sweepId,
    spec: sweep.file,
    experiment: sweep.base.name,
    results_dir: about.dirs.resultsDir,
    cache_dir: about.dirs.cacheDir,
    fixed: sweep.fixed.map((o) => o.text),
    started: about.started.toISOString(),
    finished: about.finished?.toISOString() ?? null,
    seconds: outcome.seconds,
    jobs: about.jobs,
    launcher: slurm
      ? {
        type: "slurm",
        job_id: slurm.jobId,
        script: slurm.script,
        sbatch_command: slurm.command,
        detached: slurm.detached,
      }
      : { type: "local" },
    trials: outcome.results.map((entry) => ({ entry, r: finishedPart(entry) })).map((
      { entry, r },
    ) => ({
      trial: entry.trial.index,
      overrides: entry.trial.overrides.map((o) => o.text),
      spec_fingerprint: entry.trial.fingerprint,
      plan_fingerprint: about.plans.get(entry.trial.index) ?? null,
      status: entry.status,
      run_dir: r.runDir ?? null,
      log: r.logFile ?? null,
      exit_code: r.exitCode ?? null,
      seconds: r.seconds ?? null,
      ...(r.slurmTask ? { slurm_task: r.slurmTask, slurm_state: r.slurmState ?? null } : {}),
      ...(r.duplicateOf ? { duplicate_of: r.duplicateOf } : {}),
      ...(r.note ? { note: r.note } : {}),
    })),
  };
}

/** What only a finished trial has (run folder, log, exit code...); nothing for a pending one. */
function finishedPart(entry: TrialResult | PendingTrial): Partial<TrialResult> {
  return entry.status === "running" || entry.status === "pending" ? {} : entry as TrialResult;
}

/**
 * Adds the chosen trial to sweep.json: the metric, its direction, the trial and its value
 * (under the record's lease: the results browser may be following a Slurm sweep).
 */
export async function recordSelection(sweepDir: string, selection: Selection): Promise<void> {
  await updateSweepRecord(sweepDir, (record) => {
    record.selected = {
      metric: selection.metric.text,
      better: selection.metric.better,
      trial: selection.trial?.trial.index ?? null,
      value: selection.value ?? null,
      run_dir: selection.trial?.runDir ?? null,
    };
    return true;
  });
}
