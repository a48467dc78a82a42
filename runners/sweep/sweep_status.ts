import type { Command } from "commander";
import { join } from "node:path";
import { EXIT_FAILED, UserError } from "../errors.ts";
import { followJob, pollOnce } from "../slurm/follow_job.ts";
import type { TaskEnd } from "../slurm/slurm_query.ts";
import { requireSbatch } from "../slurm/slurm_commands.ts";
import { resolveInputPath } from "../spec/user_paths.ts";
import { RunIndex } from "./run_index.ts";
import { displayPath } from "./sweep_progress.ts";
import { trialStatusOf } from "./slurm_trials.ts";

interface TrialEntry {
  trial: number;
  overrides: string[];
  status: string;
  plan_fingerprint: string | null;
  run_dir: string | null;
  log: string | null;
  exit_code: number | null;
  slurm_task?: string;
  slurm_state?: string | null;
  note?: string;
}

/**
 * `sweep status <sweep folder> [--wait]`: the trials of a sweep as sweep.json has them;
 * for a Slurm sweep whose trials were still queued (--detach, or Ctrl-C without cancelling),
 * asks Slurm how they are now, writes what ended into sweep.json, and with --wait follows
 * the job to its end. Exit 1 when a trial failed or was cancelled.
 */
export function registerSweepStatus(sweep: Command): void {
  sweep
    .command("status")
    .description("the trials of a sweep folder; follows a Slurm sweep's job")
    .argument("<sweep folder>", "results/<name>/.sweeps/<sweep id>/")
    .option("--wait", "follow the Slurm job until every trial has ended")
    .action(async (folder: string, opts) => {
      const where = resolveInputPath(folder);
      const file = join(where.path, "sweep.json");
      let record;
      try {
        record = JSON.parse(Deno.readTextFileSync(file));
      } catch {
        throw new UserError(`no readable sweep.json in ${where.path}`, { path: "<sweep folder>" });
      }
      const trials = record.trials as TrialEntry[];
      const open = new Map<string, number>();
      for (const t of trials) {
        if (t.status === "submitted" && t.slurm_task) open.set(t.slurm_task, t.trial);
      }
      const running = new Set<string>();
      if (open.size && record.launcher?.type === "slurm") {
        requireSbatch("sweep status");
        const index = new RunIndex(record.results_dir);
        const byTrial = new Map(trials.map((t) => [t.trial, t]));
        const hooks = {
          started(trial: number) {
            running.add(byTrial.get(trial)!.slurm_task!);
          },
          finished(trial: number, end: TaskEnd | null) {
            const entry = byTrial.get(trial)!;
            const runDir = entry.plan_fingerprint
              ? index.find(record.experiment, entry.plan_fingerprint)
              : undefined;
            const { status, note, slurmState } = trialStatusOf(end, runDir, entry.log ?? "");
            Object.assign(entry, {
              status,
              run_dir: status === "ran" ? runDir : null,
              exit_code: end?.exitCode ?? null,
              slurm_state: end?.state ?? slurmState ?? null,
              ...(note ? { note } : {}),
            });
            running.delete(entry.slurm_task!);
          },
        };
        if (opts.wait) await followJob(record.launcher.job_id, open, hooks);
        else await pollOnce(record.launcher.job_id, open, running, hooks);
        Deno.writeTextFileSync(file, JSON.stringify(record, null, 2) + "\n");
      }
      console.log(statusTable(trials, running));
      const count = (status: string) => trials.filter((t) => t.status === status).length;
      const queued = trials.filter((t) => t.status === "submitted");
      const parts = [
        `${count("ran") + count("done")} done`,
        `${count("failed")} failed`,
        `${count("cancelled")} cancelled`,
        `${queued.length - running.size} pending`,
        `${running.size} running`,
      ];
      const job = record.launcher?.job_id ? ` (Slurm job ${record.launcher.job_id})` : "";
      console.log(`sweep ${record.sweep_id}${job}: ${parts.join(", ")}`);
      if (count("failed") + count("cancelled")) Deno.exitCode = EXIT_FAILED;
    });
}

function statusTable(trials: TrialEntry[], running: Set<string>): string {
  const header = ["trial", "overrides", "status", "slurm", "exit", "run folder / log"];
  const rows = trials.map((t) => {
    const live = t.status === "submitted" && t.slurm_task
      ? (running.has(t.slurm_task) ? "RUNNING" : "PENDING")
      : t.slurm_state ?? "";
    const where = t.run_dir ?? t.log;
    return [
      String(t.trial),
      t.overrides.join(" "),
      t.status,
      live,
      t.exit_code === null || t.exit_code === undefined ? "" : String(t.exit_code),
      where ? displayPath(where) : "",
    ];
  });
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") +
    "\n";
}
