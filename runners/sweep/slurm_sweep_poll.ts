/**
 * One look at a Slurm sweep's queued trials: asks Slurm (squeue, then scontrol for the tasks
 * gone from the queue) and merges the trials that ended into sweep.json. `sweep status`
 * (once, or in a loop with --wait) and the results browser's poller both run this, so a
 * trial's end is judged and recorded one way only.
 */
import { pollOnce } from "../slurm/follow_job.ts";
import type { TaskEnd } from "../slurm/slurm_query.ts";
import { RunIndex } from "./run_index.ts";
import { slurmSeconds, trialStatusOf } from "./slurm_trials.ts";
import {
  mergeTrialEnds,
  openSlurmTasks,
  readSweepRecord,
  type SweepRecordFile,
  type SweepRecordTrial,
  type TrialEnd,
} from "./sweep_record_merge.ts";

/** How Slurm is asked (pollOnce; a fake in tests). */
export type PollSlurm = typeof pollOnce;

export interface SlurmSweepPoll {
  /** sweep.json after the merge */
  record: SweepRecordFile;
  /** trials still queued or running */
  open: number;
}

/**
 * Polls the sweep in `sweepDir` once. `running` keeps, across calls, the Slurm tasks seen
 * running (the record only knows "submitted"); ended ones leave it.
 */
export async function pollSlurmSweep(
  sweepDir: string,
  running: Set<string>,
  poll: PollSlurm = pollOnce,
): Promise<SlurmSweepPoll> {
  const record = readSweepRecord(sweepDir);
  const open = openSlurmTasks(record);
  const jobId = record.launcher?.job_id;
  if (!open.size || !jobId) return { record, open: 0 };
  const byTrial = new Map(record.trials.map((t) => [t.trial, t]));
  const ends = new Map<string, TrialEnd>();
  let index: RunIndex | undefined;
  await poll(jobId, open, running, {
    finished(trial, end) {
      const entry = byTrial.get(trial)!;
      index ??= new RunIndex(record.results_dir);
      ends.set(entry.slurm_task!, trialEndOf(entry, end, index, record.experiment));
      running.delete(entry.slurm_task!);
    },
  });
  const merged = ends.size ? await mergeTrialEnds(sweepDir, ends) : record;
  const stillOpen = openSlurmTasks(merged);
  // Another follower (serve, a second `sweep status`) may have recorded a task's end: it is
  // no longer running here either, or the counts would go below zero.
  for (const task of running) if (!stillOpen.has(task)) running.delete(task);
  return { record: merged, open: stillOpen.size };
}

/** A task's end as its trial's fields: status by trialStatusOf, Slurm's state and times. */
function trialEndOf(
  entry: SweepRecordTrial,
  end: TaskEnd | null,
  index: RunIndex,
  experiment: string,
): TrialEnd {
  const runDir = entry.plan_fingerprint
    ? index.find(experiment, entry.plan_fingerprint)
    : undefined;
  const { status, note, slurmState } = trialStatusOf(end, runDir, entry.log ?? "");
  return {
    status,
    run_dir: status === "ran" ? runDir ?? null : null,
    exit_code: end?.exitCode ?? null,
    slurm_state: end?.state ?? slurmState ?? null,
    seconds: end ? slurmSeconds(end) : null,
    ...(note ? { note } : {}),
  };
}
