import { join } from "node:path";
import { EXIT_FAILED } from "../errors.ts";
import { denoRunArgs, projectRoot } from "../paths.ts";
import { newRunId } from "../results.ts";
import { sha256 } from "../fingerprint.ts";
import { displayPath } from "../sweep/sweep_progress.ts";
import { followJob } from "./follow_job.ts";
import { jobScript, shellQuote } from "./job_script.ts";
import type { SlurmOptions } from "./launcher_options.ts";
import { cancel, checkPartition, requireSbatch, submit } from "./slurm_commands.ts";
import type { TaskEnd } from "./slurm_query.ts";
import { sharedPathWarnings } from "./shared_paths.ts";

export interface SlurmRun {
  /** the spec file, absolute */
  file: string;
  /** the experiment's name (the results subfolder) */
  name: string;
  /** `run`'s own arguments after the spec (--set ..., --no-cache, --report) */
  runArgs: string[];
  cacheDir: string;
  resultsDir: string;
}

/** Before the spec is even loaded: sbatch present, the partition known. */
export async function checkSlurmRun(slurm: SlurmOptions): Promise<void> {
  requireSbatch();
  await checkPartition(slurm.partition);
}

/**
 * `run --launcher slurm`: one job running `cli.ts run` (the same code path as a local run)
 * with the job script, the sbatch command and the logs in results/<name>/.slurm/<id>/;
 * waits for it (polling squeue), then prints the run's stdout (its metric table). Returns
 * the exit code.
 */
export async function runOnSlurm(run: SlurmRun, slurm: SlurmOptions): Promise<number> {
  for (
    const warning of sharedPathWarnings([
      { option: "--cache-dir", path: run.cacheDir },
      { option: "--results-dir", path: run.resultsDir },
    ])
  ) console.error(warning);
  const started = new Date();
  const id = newRunId(started, sha256([run.file, ...run.runArgs].join("\n")));
  const folder = join(run.resultsDir, run.name, ".slurm", id);
  Deno.mkdirSync(folder, { recursive: true });
  const script = join(folder, "job.sh");
  const out = join(folder, "run.out");
  const log = join(folder, "run.log");
  const args = [
    Deno.execPath(),
    ...denoRunArgs,
    join(projectRoot, "runners", "cli.ts"),
    "run",
    run.file,
    ...run.runArgs,
    "--cache-dir",
    run.cacheDir,
    "--results-dir",
    run.resultsDir,
  ];
  Deno.writeTextFileSync(
    script,
    jobScript({
      about: `One run of ${run.file}, written by \`deno task run --launcher slurm\`.\n` +
        `Resubmit by hand with: sbatch ${script}`,
      jobName: `recsys-${run.name}`,
      logFile: out,
      errorFile: log,
      tasks: new Map([[0, args]]),
      workDir: Deno.cwd(),
      slurm,
    }),
    { mode: 0o755 },
  );
  const sbatch = ["--parsable", script];
  Deno.writeTextFileSync(
    join(folder, "sbatch_command.txt"),
    ["sbatch", ...sbatch].map(shellQuote).join(" ") + "\n",
  );
  let jobId: string;
  try {
    jobId = await submit(sbatch);
  } catch (error) {
    Deno.removeSync(folder, { recursive: true });
    throw error;
  }
  const say = (text: string) => console.error(text);
  say(`submitted Slurm job ${jobId}; log: ${displayPath(log)}`);
  if (slurm.detach) {
    say(
      `job ${jobId} runs on without this command: its metric table will be in ` +
        `${displayPath(out)}, its run folder under ${displayPath(join(run.resultsDir, run.name))}`,
    );
    return 0;
  }
  const stop = new AbortController();
  const interrupted = () => {
    if (confirm(`\ncancel Slurm job ${jobId} (scancel)?`)) {
      say(`cancelling job ${jobId}`);
      cancel(jobId).catch((error) => say(String(error)));
    } else stop.abort();
  };
  let end: TaskEnd | null = null;
  Deno.addSignalListener("SIGINT", interrupted);
  try {
    const ended = await followJob(jobId, new Map([[jobId, 0]]), {
      started: () => say(`job ${jobId} started`),
      finished: (_, how) => end = how,
    }, stop.signal);
    if (ended === "detached") {
      say(`job ${jobId} runs on; cancel it with \`scancel ${jobId}\`; log: ${displayPath(log)}`);
      return 0;
    }
  } finally {
    Deno.removeSignalListener("SIGINT", interrupted);
  }
  const finished = end as TaskEnd | null;
  if (finished?.state === "COMPLETED" && finished.exitCode === 0) {
    console.log(Deno.readTextFileSync(out).trimEnd());
    return 0;
  }
  const how = finished
    ? `Slurm state ${finished.state}, exit code ${finished.exitCode ?? "?"}`
    : "Slurm no longer knows the job";
  console.error(`error: the run on Slurm failed (${how}); log: ${displayPath(log)}`);
  return EXIT_FAILED;
}
