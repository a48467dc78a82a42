/**
 * Slurm's client commands, run as processes: sbatch to submit, squeue and scontrol to
 * follow, scancel to stop, sinfo to check a partition. Every refusal quotes Slurm.
 */
import { delimiter, join } from "node:path";
import { UserError } from "../errors.ts";
import {
  type JobRecord,
  parseSbatchJobId,
  parseScontrolJobs,
  parseSqueue,
  type QueuedTask,
  SQUEUE_FORMAT,
} from "./slurm_query.ts";

/** The sbatch on PATH, or a clear error before anything is written. */
export function requireSbatch(option = "--launcher"): string {
  const path = onPath("sbatch");
  if (path !== undefined) return path;
  throw new UserError(
    "sbatch is not on PATH: --launcher slurm needs Slurm's client commands " +
      "(on this machine, scripts/slurm_cluster.sh up installs and starts a one-node cluster)",
    { path: option },
  );
}

/** The first `name` on PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter)) {
    try {
      if (dir && Deno.statSync(join(dir, name)).isFile) return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

async function slurm(command: string, args: string[]) {
  const path = onPath(command);
  if (path === undefined) {
    throw new UserError(`${command} is not on PATH (Slurm's client commands are needed)`, {
      path: "--launcher",
    });
  }
  // In a session of its own (util-linux setsid): a Ctrl-C at the terminal, sent to the whole
  // foreground process group, is the sweep's to answer and must not kill an squeue poll or
  // an sbatch half way. (Deno's `detached` keeps the child in our process group.) A SIGINT
  // that lands between fork and setsid kills the command before it runs Slurm's: run it
  // again.
  const setsid = onPath("setsid");
  let output: Deno.CommandOutput;
  for (let attempt = 1;; attempt++) {
    output = await new Deno.Command(setsid ?? path, {
      args: setsid ? [path, ...args] : args,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!(setsid && output.signal === "SIGINT" && attempt < 5)) break;
  }
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return {
    ok: output.success,
    stdout: decode(output.stdout),
    stderr: decode(output.stderr) || `(exit code ${output.code}, signal ${output.signal})`,
  };
}

/** The cluster's partitions ("debug*" marks the default; the star is dropped). */
export async function partitions(): Promise<string[]> {
  const out = await slurm("sinfo", ["-h", "-o", "%P"]);
  if (!out.ok) throw new UserError(`sinfo failed: ${out.stderr}`, { path: "--launcher" });
  return [...new Set(out.stdout.split("\n").map((p) => p.trim().replace(/\*$/, "")))].filter(
    Boolean,
  );
}

/** Refuses a partition the cluster does not have, naming the ones it has. */
export async function checkPartition(
  name: string | undefined,
  where: { file?: string; path: string } = { path: "--partition" },
): Promise<void> {
  if (name === undefined) return;
  const known = await partitions();
  if (!known.includes(name)) {
    throw new UserError(
      `no Slurm partition '${name}' on this cluster; known: ${known.join(", ")}`,
      where,
    );
  }
}

/** Submits a job script; the job id, or Slurm's refusal quoted (nothing was submitted). */
export async function submit(args: string[]): Promise<string> {
  const out = await slurm("sbatch", args);
  if (!out.ok) {
    throw new UserError(`Slurm rejected the job: ${out.stderr || out.stdout}`, {
      path: "sbatch",
    });
  }
  return parseSbatchJobId(out.stdout);
}

/** "Invalid job id" (squeue, scontrol), or "Job 12_4 not found" for an array task that
 * never left the pending remainder (cancelled before it started), on stdout. */
const forgotten = (text: string) => /Invalid job id|not found/i.test(text);

/** The job's tasks still queued or running; [] once all have left the queue. */
export async function queuedTasks(jobId: string): Promise<QueuedTask[]> {
  const out = await slurm("squeue", ["-h", "-r", "-j", jobId, "-o", SQUEUE_FORMAT]);
  if (!out.ok && !forgotten(out.stderr)) throw new Error(`squeue failed: ${out.stderr}`);
  return out.ok ? parseSqueue(out.stdout) : [];
}

/** scontrol's records of a job or task ("12" or "12_3"); [] once Slurm forgot it. */
export async function showJob(id: string): Promise<JobRecord[]> {
  const out = await slurm("scontrol", ["show", "job", "-o", id]);
  if (!out.ok && !forgotten(out.stderr + out.stdout)) {
    throw new Error(`scontrol failed: ${out.stderr || out.stdout}`);
  }
  return out.ok ? parseScontrolJobs(out.stdout) : [];
}

/** Cancels a job (every task of an array) or one task ("12_3"). */
export async function cancel(id: string): Promise<void> {
  const out = await slurm("scancel", [id]);
  if (!out.ok) throw new Error(`scancel ${id} failed: ${out.stderr}`);
}
