import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { Metrics } from "../results.ts";
import type { SweepOutcome, TrialResult } from "./run_sweep.ts";
import { displayPath, formatSeconds } from "./sweep_progress.ts";

/**
 * The metric the summary shows: a held-out part and a metric name, with or without its
 * cutoff (`precision` matches `precision@5` in one trial and `precision@10` in another, so
 * a sweep over model.k still has a column to compare).
 */
export interface KeyMetric {
  part: string;
  name: string;
}

/**
 * `dev.ndcg@10`, `ndcg@10` or `ndcg` (a bare name is looked up in the first part of the
 * metrics, usually test). Without a choice: the first metric of the first part of the first
 * run folder, without its cutoff.
 */
export function keyMetric(results: TrialResult[], wanted?: string): KeyMetric | undefined {
  const first = results.map((r) => r.runDir && readMetrics(r.runDir)).find(Boolean);
  if (!first) return undefined;
  const parts = Object.keys(first);
  if (!wanted) {
    const name = parts.length ? Object.keys(first[parts[0]])[0] : undefined;
    return name ? { part: parts[0], name: name.split("@")[0] } : undefined;
  }
  const dot = wanted.indexOf(".");
  const [part, name] = dot > 0 && parts.includes(wanted.slice(0, dot))
    ? [wanted.slice(0, dot), wanted.slice(dot + 1)]
    : [parts[0], wanted];
  if (metricValue(first, { part, name }) === undefined) {
    const known = parts.flatMap((p) => Object.keys(first[p]).map((n) => `${p}.${n}`));
    throw new UserError(`no metric '${wanted}' in the runs; known: ${known.join(", ")}`, {
      path: "--metric",
    });
  }
  return { part, name };
}

/** The metric's value in one run: the exact name, else the first with that name and a cutoff. */
export function metricValue(metrics: Metrics, metric: KeyMetric): number | undefined {
  const values = metrics[metric.part];
  if (!values) return undefined;
  if (metric.name in values) return values[metric.name];
  const key = Object.keys(values).find((k) => k.split("@")[0] === metric.name);
  return key === undefined ? undefined : values[key];
}

/** The table printed at the end: trial, overrides, status, time, run folder, key metric. */
export function summaryTable(outcome: SweepOutcome, metric?: KeyMetric): string {
  const header = ["trial", "overrides", "status", "time", "run folder"];
  if (metric) header.push(`${metric.part} ${metric.name}`);
  const rows = outcome.results.map((r) => {
    const row = [
      String(r.trial.index),
      r.trial.overrides.map((o) => o.text).join(" "),
      r.status === "duplicate" ? `same as ${r.duplicateOf}` : r.status,
      r.seconds === undefined ? "" : formatSeconds(r.seconds),
      r.runDir ? displayPath(r.runDir) : "",
    ];
    if (metric) {
      const metrics = r.runDir ? readMetrics(r.runDir) : undefined;
      row.push(formatValue(metrics && metricValue(metrics, metric)));
    }
    return row;
  });
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") +
    "\n";
}

/** The failed and killed trials with their logs, or "" when none failed. */
export function failureReport(outcome: SweepOutcome): string {
  const failed = outcome.results.filter((r) => r.status === "failed" || r.status === "killed");
  if (!failed.length) return "";
  const notRun = outcome.results.filter((r) => r.status === "not run").length;
  const lines = [`${failed.length} of ${outcome.results.length} trials failed:`];
  for (const r of failed) {
    const why = r.status === "killed" ? "killed (--fail-fast)" : r.note ?? `exit ${r.exitCode}`;
    const overrides = r.trial.overrides.map((o) => o.text).join(" ");
    lines.push(`  trial ${r.trial.index} (${overrides}): ${why}; log: ${displayPath(r.logFile!)}`);
  }
  if (notRun) lines.push(`${notRun} trial(s) not run (--fail-fast)`);
  return lines.join("\n") + "\n";
}

function readMetrics(runDir: string): Metrics | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(join(runDir, "metrics.json")));
  } catch {
    return undefined;
  }
}

/** metrics.json writes NaN as null (JSON has no NaN): both print as an empty cell. */
function formatValue(value: number | null | undefined): string {
  if (value === undefined || value === null || Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
