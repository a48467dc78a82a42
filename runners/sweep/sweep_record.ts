import { join } from "node:path";
import type { SweepOutcome, TrialResult } from "./run_sweep.ts";
import type { Selection } from "./select.ts";
import type { PreparedSweep } from "./trials.ts";

/** A trial not finished yet, in the record a running sweep keeps up to date. */
export type PendingTrial = Pick<TrialResult, "trial"> & { status: "running" | "pending" };

/**
 * sweep.json: what was tried and where each trial's run and log are. Written when the sweep
 * starts and after every trial (`finished` null until the end), so a reader such as the
 * results browser follows a running sweep; each write replaces the file whole.
 */
export function writeSweepRecord(
  sweepDir: string,
  sweep: PreparedSweep,
  outcome: Omit<SweepOutcome, "results" | "failed"> & {
    results: Array<TrialResult | PendingTrial>;
  },
  about: { started: Date; finished: Date | null; jobs: number },
) {
  const record = {
    sweep_id: outcome.sweepId,
    spec: sweep.file,
    fixed: sweep.fixed.map((o) => o.text),
    started: about.started.toISOString(),
    finished: about.finished?.toISOString() ?? null,
    seconds: outcome.seconds,
    jobs: about.jobs,
    trials: outcome.results.map((r) => {
      const pending = r.status === "running" || r.status === "pending";
      const done: Partial<TrialResult> = pending ? {} : r as TrialResult;
      return {
        trial: r.trial.index,
        overrides: r.trial.overrides.map((o) => o.text),
        spec_fingerprint: r.trial.fingerprint,
        status: r.status,
        run_dir: done.runDir ?? null,
        log: done.logFile ?? null,
        exit_code: done.exitCode ?? null,
        seconds: done.seconds ?? null,
        ...(done.duplicateOf ? { duplicate_of: done.duplicateOf } : {}),
        ...(done.note ? { note: done.note } : {}),
      };
    }),
  };
  const temporary = join(sweepDir, ".sweep.json.tmp");
  Deno.writeTextFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  Deno.renameSync(temporary, join(sweepDir, "sweep.json"));
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
