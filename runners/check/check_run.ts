import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { Metrics } from "../results.ts";
import { runExperiment } from "../run.ts";
import type { Uncertainty } from "../run_folder/metrics_file.ts";
import { readRun } from "../run_folder/read_run.ts";
import { validateSpec } from "../spec/load.ts";
import { isSuiteSpec } from "../suite/schema.ts";
import { folderChanges } from "./folder_changes.ts";

/** One metric whose re-computed value differs from the recorded one beyond the tolerance. */
export interface Drift {
  metric: string;
  /** null: NaN or not computed (metrics.json writes NaN as null) */
  recorded: number | null;
  recomputed: number | null;
  difference: number;
}

export interface CheckResult {
  runDir: string;
  /** what changed in the folder since the run wrote it (edited or missing files), in words */
  changes: string[];
  compared: number;
  drifts: Drift[];
  seconds: number;
}

/**
 * Verifies a run folder and re-executes it: every file against its checksum in run.json,
 * spec.yaml and spec.json against the recorded spec fingerprint, then the recorded
 * spec.json run again without any cache (a fresh, temporary cache and results folder) and
 * every metric compared with metrics.json. Exact by default: the runner is deterministic
 * for a given spec, code and data.
 */
export async function checkRun(
  runDir: string,
  options: { tolerance?: number; quiet?: boolean } = {},
): Promise<CheckResult> {
  const run = readRun(runDir, { record: true });
  if (!run.record) {
    throw new UserError("not a run folder: run.json is missing", { file: runDir });
  }
  const changes = folderChanges(runDir, run.record, run.spec);
  const started = performance.now();
  const recomputed = await rerun(run.spec, join(runDir, "spec.json"), options.quiet);
  // Intervals and fold spreads are checked too, when the run recorded them (a run from
  // before they were written has none, which is no drift).
  const recorded = { ...run.metrics, ...spreadAsMetrics(run.uncertainty) };
  const again = {
    ...recomputed.metrics,
    ...(run.uncertainty && hasAny(run.uncertainty) ? spreadAsMetrics(recomputed.uncertainty) : {}),
  };
  return {
    runDir,
    changes,
    compared: countMetrics(recorded),
    drifts: compareMetrics(recorded, again, options.tolerance ?? 0),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The recorded spec (an experiment or a suite) run again in a scratch folder: its metrics. */
async function rerun(
  spec: Record<string, unknown>,
  label: string,
  quiet?: boolean,
): Promise<{ metrics: Metrics; uncertainty: Uncertainty }> {
  const scratch = Deno.makeTempDirSync({ prefix: "recsys-check-" });
  const options = { cacheDir: join(scratch, "cache"), resultsDir: join(scratch, "results"), quiet };
  try {
    if (isSuiteSpec(spec)) {
      const { runResolvedSuite, validateResolvedSuite } = await import("../suite/run_suite.ts");
      return await runResolvedSuite(validateResolvedSuite(spec, label), options);
    }
    return await runExperiment(validateSpec(spec, label), options);
  } finally {
    Deno.removeSync(scratch, { recursive: true });
  }
}

/**
 * Every metric of either side; a metric present on one side only is a drift too. NaN
 * (written as null) on both sides is equal: a metric with nothing to score (say, no dev
 * rows) reproduces as nothing to score.
 */
export function compareMetrics(recorded: Metrics, recomputed: Metrics, tolerance: number): Drift[] {
  const drifts: Drift[] = [];
  const parts = new Set([...Object.keys(recorded), ...Object.keys(recomputed)]);
  for (const part of parts) {
    const names = new Set([
      ...Object.keys(recorded[part] ?? {}),
      ...Object.keys(recomputed[part] ?? {}),
    ]);
    for (const name of names) {
      const a = recorded[part]?.[name];
      const b = recomputed[part]?.[name];
      if (isNothing(a) && isNothing(b) && a !== undefined && b !== undefined) continue;
      const difference = isNothing(a) || isNothing(b) ? Infinity : Math.abs(a! - b!);
      if (!(difference <= tolerance)) {
        drifts.push({
          metric: `${part}.${name}`,
          recorded: isNothing(a) ? null : a!,
          recomputed: isNothing(b) ? null : b!,
          difference,
        });
      }
    }
  }
  return drifts;
}

function hasAny(uncertainty: Uncertainty): boolean {
  return Object.keys(uncertainty.ci).length + Object.keys(uncertainty.std).length > 0;
}

/**
 * Intervals and spreads as metric-like parts, so they are compared like metrics:
 * `ci.test` -> `ndcg@10 low`, `ndcg@10 high`; `std.test` -> `rmse`.
 */
function spreadAsMetrics(uncertainty: Uncertainty | undefined): Metrics {
  const out: Metrics = {};
  for (const [part, values] of Object.entries(uncertainty?.ci ?? {})) {
    out[`ci.${part}`] = {};
    for (const [name, [low, high]] of Object.entries(values)) {
      out[`ci.${part}`][`${name} low`] = low;
      out[`ci.${part}`][`${name} high`] = high;
    }
  }
  for (const [part, values] of Object.entries(uncertainty?.std ?? {})) {
    out[`std.${part}`] = values;
  }
  return out;
}

/** Absent, null (NaN in metrics.json) or NaN. */
function isNothing(value: number | null | undefined): boolean {
  return value === undefined || value === null || Number.isNaN(value);
}

function countMetrics(metrics: Metrics): number {
  return Object.values(metrics).reduce((n, part) => n + Object.keys(part).length, 0);
}

/** The drift table printed on failure. */
export function driftTable(drifts: Drift[]): string {
  const rows = [["metric", "recorded", "recomputed", "difference"]];
  for (const d of drifts) {
    rows.push([d.metric, String(d.recorded), String(d.recomputed), d.difference.toExponential(3)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ")).join("\n") + "\n";
}
