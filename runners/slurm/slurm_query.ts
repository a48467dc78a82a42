/**
 * Reading Slurm's answers: `squeue` for the tasks still queued or running (cheap, polled),
 * `scontrol show job -o` for how a task ended (state, exit code). No `sacct`: accounting is
 * often disabled. scontrol forgets a job MinJobAge seconds after it ended.
 */

/** One line of `squeue -h -r -o %i|%K|%T|%r`: an array task (or a single job) still queued. */
export interface QueuedTask {
  /** "12_3", or "12" for a single job */
  jobId: string;
  /** the array task id; null for a single job */
  taskId: number | null;
  /** PENDING, RUNNING, COMPLETING, ... */
  state: string;
  /** why it waits: None, Priority, Resources, JobArrayTaskLimit, ... */
  reason: string;
}

export const SQUEUE_FORMAT = "%i|%K|%T|%r";

export function parseSqueue(text: string): QueuedTask[] {
  const tasks: QueuedTask[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const [jobId, task, state, reason] = line.trim().split("|");
    if (state === undefined) throw new Error(`unexpected squeue line: ${line}`);
    const taskId = /^\d+$/.test(task) ? Number(task) : null;
    tasks.push({ jobId, taskId, state, reason: reason ?? "" });
  }
  return tasks;
}

/** A record of `scontrol show job -o`: every `Key=value` of the line. */
export type JobRecord = Record<string, string>;

/**
 * One record per line. Values do not hold spaces except a few free-text fields at the end
 * of a record (Command, WorkDir, StdOut...): a word without `=` continues the value before.
 */
export function parseScontrolJobs(text: string): JobRecord[] {
  const records: JobRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes("JobId=")) continue;
    const record: JobRecord = {};
    let last: string | undefined;
    for (const word of line.trim().split(/\s+/)) {
      const eq = word.indexOf("=");
      if (eq > 0) record[last = word.slice(0, eq)] = word.slice(eq + 1);
      else if (last) record[last] += ` ${word}`;
    }
    records.push(record);
  }
  return records;
}

/** How a finished task (or job) ended. */
export interface TaskEnd {
  /** COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, ... */
  state: string;
  /** the job script's exit code (`ExitCode=code:signal`) */
  exitCode: number | null;
  /** the signal that ended it, 0 if none */
  signal: number | null;
  reason: string;
  /** Slurm's start and end times (seconds resolution, the controller's clock) */
  start?: string;
  end?: string;
}

/** States after which a job will not run again. */
const FINAL = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "OUT_OF_MEMORY",
  "NODE_FAIL",
  "BOOT_FAIL",
  "DEADLINE",
  "PREEMPTED",
]);

/** The record's end, or null while it is still queued or running. */
export function taskEnd(record: JobRecord): TaskEnd | null {
  // "CANCELLED" may come with " by 0" in some versions: keep the first word.
  const state = (record.JobState ?? "").split(/\s/)[0];
  if (!FINAL.has(state)) return null;
  const [code, signal] = (record.ExitCode ?? "").split(":").map((n) => Number(n));
  return {
    state,
    exitCode: Number.isInteger(code) ? code : null,
    signal: Number.isInteger(signal) ? signal : null,
    reason: record.Reason ?? "",
    start: record.StartTime,
    end: record.EndTime,
  };
}

/** The job id in `sbatch --parsable`'s answer ("123" or "123;cluster"). */
export function parseSbatchJobId(text: string): string {
  const id = text.trim().split(";")[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch answered '${text.trim()}', not a job id`);
  return id;
}
