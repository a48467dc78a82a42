import type { Command } from "commander";
import { z } from "zod";
import { UserError } from "../errors.ts";

/**
 * Where trials run: `local` (processes on this machine, the default) or `slurm` (one job
 * array on a Slurm cluster). The spec's `sweep.launcher` block takes the same keys as the
 * command line's options, in snake case; the command line wins.
 */
export const LauncherSchema = z.strictObject({
  type: z.enum(["local", "slurm"]).default("local"),
  /** sbatch --partition (default: the cluster's default partition) */
  partition: z.string().min(1).nullable().default(null),
  /** sbatch --time per trial, e.g. 2:00:00 or 30 (minutes) */
  time: z.string().min(1).nullable().default(null),
  cpus_per_task: z.number().int().min(1).nullable().default(null),
  /** sbatch --mem per trial, e.g. 8G */
  mem: z.string().min(1).nullable().default(null),
  gpus: z.number().int().min(1).nullable().default(null),
  /** at most this many trials of the array run at once (`--array=...%N`) */
  array_parallelism: z.number().int().min(1).nullable().default(null),
  /** further sbatch options, each a whole option, e.g. --qos=high */
  sbatch_args: z.array(z.string().min(1)).default([]),
});

export type LauncherBlock = z.output<typeof LauncherSchema>;

/** Slurm resources of each trial (or of a single run) and of the array. */
export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  gpus?: number;
  arrayParallelism?: number;
  sbatchArgs: string[];
  /** return once submitted; `sweep status <folder>` follows the job later */
  detach?: boolean;
  /** where the partition was named, for an error about it */
  partitionFrom?: { file?: string; path: string };
}

export type Launcher = { type: "local" } | { type: "slurm"; slurm: SlurmOptions };

const collect = (value: string, previous: string[]) => [...previous, value];

/** The launcher options shared by `sweep` and `run`. */
export function addLauncherOptions(command: Command): Command {
  return command
    .option("--launcher <local|slurm>", "where the work runs (default local, or the spec's)")
    .option("--partition <name>", "Slurm partition (--launcher slurm)")
    .option("--time <limit>", "Slurm time limit per trial, e.g. 2:00:00")
    .option("--cpus-per-task <n>", "Slurm CPUs per trial")
    .option("--mem <size>", "Slurm memory per trial, e.g. 8G")
    .option("--gpus <n>", "Slurm GPUs per trial")
    .option("--array-parallelism <n>", "at most N trials of the job array at once")
    .option(
      "--sbatch-arg <option>",
      "a further sbatch option, e.g. --qos=high (repeatable)",
      collect,
      [],
    )
    .option("--detach", "submit to Slurm and return at once (see `sweep status`)");
}

// deno-lint-ignore no-explicit-any
type Opts = Record<string, any>;

/** The launcher from the command line over the spec's `sweep.launcher` block (in `file`). */
export function resolveLauncher(opts: Opts, block: LauncherBlock | null, file?: string): Launcher {
  const type = opts.launcher ?? block?.type ?? "local";
  if (type !== "local" && type !== "slurm") {
    throw new UserError(`expected local or slurm, got '${type}'`, { path: "--launcher" });
  }
  const slurmOnly = ["partition", "time", "cpusPerTask", "mem", "gpus", "arrayParallelism"]
    .filter((key) => opts[key] !== undefined).concat(opts.sbatchArg?.length ? ["sbatchArg"] : [])
    .concat(opts.detach ? ["detach"] : []);
  if (type === "local") {
    if (slurmOnly.length) {
      const option = "--" + slurmOnly[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new UserError(`${option} needs --launcher slurm`, { path: option });
    }
    return { type: "local" };
  }
  const fromSpec = (key: keyof LauncherBlock) => (block?.[key] ?? undefined);
  const text = (option: string, value: unknown) => {
    if (value === undefined || value === null) return undefined;
    const s = String(value);
    if (!s.trim() || /[\n\r]/.test(s)) {
      throw new UserError(`expected one line of text, got '${s}'`, { path: option });
    }
    return s;
  };
  const count = (option: string, value: unknown) => {
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError(`expected an integer >= 1, got '${value}'`, { path: option });
    }
    return n;
  };
  const sbatchArgs = [
    ...((fromSpec("sbatch_args") as string[] | undefined) ?? []),
    ...(opts.sbatchArg ?? []),
  ];
  for (const arg of sbatchArgs) {
    if (!arg.startsWith("-") || /[\n\r]/.test(arg)) {
      throw new UserError(`expected one sbatch option such as --qos=high, got '${arg}'`, {
        path: "--sbatch-arg",
      });
    }
  }
  return {
    type: "slurm",
    slurm: {
      partition: text("--partition", opts.partition ?? fromSpec("partition")),
      time: text("--time", opts.time ?? fromSpec("time")),
      cpusPerTask: count("--cpus-per-task", opts.cpusPerTask ?? fromSpec("cpus_per_task")),
      mem: text("--mem", opts.mem ?? fromSpec("mem")),
      gpus: count("--gpus", opts.gpus ?? fromSpec("gpus")),
      arrayParallelism: count(
        "--array-parallelism",
        opts.arrayParallelism ?? fromSpec("array_parallelism"),
      ),
      sbatchArgs,
      detach: opts.detach === true,
      ...(opts.partition === undefined && block?.partition
        ? { partitionFrom: { file, path: "sweep.launcher.partition" } }
        : {}),
    },
  };
}
