import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { Metrics } from "../results.ts";
import { runExperiment } from "../run.ts";
import { loadSpec } from "../spec/load.ts";

/** One metric whose re-computed value differs from the recorded one beyond the tolerance. */
export interface Drift {
  metric: string;
  recorded: number | null;
  recomputed: number | null;
  difference: number;
}

export interface CheckResult {
  runDir: string;
  compared: number;
  drifts: Drift[];
  seconds: number;
}

/**
 * Re-executes a run's recorded spec.yaml without any cache (a fresh, temporary cache and
 * results folder) and compares every metric with the recorded metrics.json. Exact by
 * default: the runner is deterministic for a given spec, code and data.
 */
export async function checkRun(
  runDir: string,
  options: { tolerance?: number; quiet?: boolean } = {},
): Promise<CheckResult> {
  const recorded = readRecordedMetrics(runDir);
  const { spec } = await loadSpec(join(runDir, "spec.yaml"));
  const scratch = Deno.makeTempDirSync({ prefix: "recsys-check-" });
  const started = performance.now();
  try {
    const outcome = await runExperiment(spec, {
      cacheDir: join(scratch, "cache"),
      resultsDir: join(scratch, "results"),
      quiet: options.quiet,
    });
    return {
      runDir,
      compared: countMetrics(recorded),
      drifts: compareMetrics(recorded, outcome.metrics, options.tolerance ?? 0),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    Deno.removeSync(scratch, { recursive: true });
  }
}

function readRecordedMetrics(runDir: string): Metrics {
  for (const file of ["spec.yaml", "metrics.json"]) {
    try {
      Deno.statSync(join(runDir, file));
    } catch {
      throw new UserError(`not a run folder: ${file} is missing`, { file: runDir });
    }
  }
  try {
    return JSON.parse(Deno.readTextFileSync(join(runDir, "metrics.json")));
  } catch (error) {
    throw new UserError(`metrics.json is not valid JSON: ${(error as Error).message}`, {
      file: join(runDir, "metrics.json"),
    });
  }
}

/** Every metric of either side; a metric present on one side only is a drift too. */
export function compareMetrics(recorded: Metrics, recomputed: Metrics, tolerance: number): Drift[] {
  const drifts: Drift[] = [];
  const parts = new Set([...Object.keys(recorded), ...Object.keys(recomputed)]);
  for (const part of parts) {
    const names = new Set([
      ...Object.keys(recorded[part] ?? {}),
      ...Object.keys(recomputed[part] ?? {}),
    ]);
    for (const name of names) {
      const a = recorded[part]?.[name] ?? null;
      const b = recomputed[part]?.[name] ?? null;
      const difference = a === null || b === null ? Infinity : Math.abs(a - b);
      const bothNaN = Number.isNaN(a) && Number.isNaN(b);
      if (!bothNaN && !(difference <= tolerance)) {
        drifts.push({ metric: `${part}.${name}`, recorded: a, recomputed: b, difference });
      }
    }
  }
  return drifts;
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
