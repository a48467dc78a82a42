import { join } from "node:path";
import type { SweepOutcome } from "./run_sweep.ts";
import type { Selection } from "./select.ts";
import type { PreparedSweep } from "./trials.ts";

/** sweep.json: what was tried and where each trial's run and log are. */
export function writeSweepRecord(
  sweepDir: string,
  sweep: PreparedSweep,
  outcome: SweepOutcome,
  about: {
    started: Date;
    finished: Date;
    jobs: number;
    plans: Map<number, string>;
    dirs: { cacheDir: string; resultsDir: string };
  },
) {
  const slurm = outcome.slurm;
  const record = {
    sweep_id: outcome.sweepId,
    spec: sweep.file,
    experiment: sweep.base.name,
    results_dir: about.dirs.resultsDir,
    cache_dir: about.dirs.cacheDir,
    fixed: sweep.fixed.map((o) => o.text),
    started: about.started.toISOString(),
    finished: about.finished.toISOString(),
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
    trials: outcome.results.map((r) => ({
      trial: r.trial.index,
      overrides: r.trial.overrides.map((o) => o.text),
      spec_fingerprint: r.trial.fingerprint,
      plan_fingerprint: about.plans.get(r.trial.index) ?? null,
      status: r.status,
      run_dir: r.runDir ?? null,
      log: r.logFile ?? null,
      exit_code: r.exitCode ?? null,
      seconds: r.seconds ?? null,
      ...(r.slurmTask ? { slurm_task: r.slurmTask, slurm_state: r.slurmState ?? null } : {}),
      ...(r.duplicateOf ? { duplicate_of: r.duplicateOf } : {}),
      ...(r.note ? { note: r.note } : {}),
    })),
  };
  Deno.writeTextFileSync(join(sweepDir, "sweep.json"), JSON.stringify(record, null, 2) + "\n");
}

/** Adds the chosen trial to sweep.json: the metric, its direction, the trial and its value. */
export function recordSelection(sweepDir: string, selection: Selection): void {
  const file = join(sweepDir, "sweep.json");
  const record = JSON.parse(Deno.readTextFileSync(file));
  record.selected = {
    metric: selection.metric.text,
    better: selection.metric.better,
    trial: selection.trial?.trial.index ?? null,
    value: selection.value ?? null,
    run_dir: selection.trial?.runDir ?? null,
  };
  Deno.writeTextFileSync(file, JSON.stringify(record, null, 2) + "\n");
}
