import type { SlurmOptions } from "./launcher_options.ts";

/** A word for bash, single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `--array` value for these task ids: ascending runs folded into ranges, then the
 * throttle, e.g. [1,2,3,5] with 2 -> "1-3,5%2". Task id = trial number, so a resumed sweep
 * submits only the trials not done ("2,4") and each log is named after its trial.
 */
export function arraySpec(ids: number[], parallelism?: number): string {
  if (!ids.length) throw new Error("a job array needs at least one task");
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const id of [...sorted.slice(1), Infinity]) {
    if (id === previous + 1) {
      previous = id;
      continue;
    }
    parts.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = previous = id;
  }
  return parts.join(",") + (parallelism ? `%${parallelism}` : "");
}

/** The sbatch options a job's resources ask for, in the order sbatch's manual lists them. */
export function resourceOptions(slurm: SlurmOptions): string[] {
  const options: string[] = [];
  if (slurm.partition) options.push(`--partition=${slurm.partition}`);
  if (slurm.time) options.push(`--time=${slurm.time}`);
  if (slurm.cpusPerTask) options.push(`--cpus-per-task=${slurm.cpusPerTask}`);
  if (slurm.mem) options.push(`--mem=${slurm.mem}`);
  if (slurm.gpus) options.push(`--gpus=${slurm.gpus}`);
  return [...options, ...slurm.sbatchArgs];
}

export interface JobScript {
  /** the comment under the shebang: what the job is */
  about: string;
  jobName: string;
  /** `%a` in it stands for the array task id */
  logFile: string;
  /** stderr apart from stdout (a single run: its metric table alone in logFile) */
  errorFile?: string;
  /** task id -> the command's arguments; one entry without `array` for a single job */
  tasks: Map<number, string[]>;
  /** the `--array` value, or none for a single job */
  array?: string;
  /** folder the command runs in */
  workDir: string;
  slurm: SlurmOptions;
}

/**
 * A bash job script holding its sbatch options as `#SBATCH` lines, so `sbatch <script>`
 * alone resubmits it; each array task picks its own command by $SLURM_ARRAY_TASK_ID.
 */
export function jobScript(job: JobScript): string {
  const directives = [
    `--job-name=${job.jobName}`,
    ...(job.array ? [`--array=${job.array}`] : []),
    // Slurm's own messages (time limit, cancel) go to stderr, beside the trial's.
    `--output=${job.logFile}`,
    ...(job.errorFile ? [`--error=${job.errorFile}`] : []),
    ...resourceOptions(job.slurm),
  ].map((option) => `#SBATCH ${option}`);
  const quoted = (args: string[]) => args.map(shellQuote).join(" ");
  const body = job.array
    ? [
      'case "${SLURM_ARRAY_TASK_ID:-}" in',
      ...[...job.tasks].map(([id, args]) => `  ${id}) set -- ${quoted(args)} ;;`),
      '  *) echo "no task ${SLURM_ARRAY_TASK_ID:-} in this job" >&2; exit 2 ;;',
      "esac",
      'echo "task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID} on $(hostname)" >&2',
    ]
    : [
      `set -- ${quoted([...job.tasks.values()][0])}`,
      'echo "job ${SLURM_JOB_ID} on $(hostname)" >&2',
    ];
  return [
    "#!/bin/bash",
    ...job.about.split("\n").map((line) => `# ${line}`),
    ...directives,
    "set -u",
    `cd ${shellQuote(job.workDir)}`,
    "export NO_COLOR=1",
    ...body,
    'echo "$ $*" >&2',
    'exec "$@"',
    "",
  ].join("\n");
}
