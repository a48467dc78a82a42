import type { Command } from "commander";
import { EXIT_FAILED, UserError } from "../errors.ts";
import { pollInterval } from "../slurm/follow_job.ts";
import { requireSbatch } from "../slurm/slurm_commands.ts";
import { resolveInputPath } from "../spec/user_paths.ts";
import { pollSlurmSweep } from "./slurm_sweep_poll.ts";
import { displayPath } from "./sweep_progress.ts";
import {
  openSlurmTasks,
  readSweepRecord,
  type SweepRecordFile,
  type SweepRecordTrial,
} from "./sweep_record_merge.ts";

/**
 * `sweep status <sweep folder> [--wait]`: the trials of a sweep as sweep.json has them;
 * for a Slurm sweep whose trials were still queued (--detach, or Ctrl-C without cancelling),
 * asks Slurm how they are now and merges what ended into sweep.json (pollSlurmSweep, as the
 * results browser does), and with --wait polls until every trial has ended. Exit 1 when a
 * trial failed or was cancelled.
 */
export function registerSweepStatus(sweep: Command): void {
  sweep
    .command("status")
    .description("the trials of a sweep folder; follows a Slurm sweep's job")
    .argument("<sweep folder>", "results/<name>/.sweeps/<sweep id>/")
    .option("--wait", "follow the Slurm job until every trial has ended")
    .action(async (folder: string, opts) => {
      const where = resolveInputPath(folder);
      let record: SweepRecordFile;
      try {
        record = readSweepRecord(where.path);
      } catch {
        throw new UserError(`no readable sweep.json in ${where.path}`, { path: "<sweep folder>" });
      }
      const running = new Set<string>();
      if (openSlurmTasks(record).size) {
        requireSbatch("sweep status");
        let poll = await pollSlurmSweep(where.path, running);
        while (opts.wait && poll.open > 0) {
          await new Promise((done) => setTimeout(done, pollInterval()));
          poll = await pollSlurmSweep(where.path, running);
        }
        record = poll.record;
      }
      const trials = record.trials;
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

function statusTable(trials: SweepRecordTrial[], running: Set<string>): string {
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
