import { UserError } from "../errors.ts";
import { formatMetricCell, metricsText } from "../results.ts";
import type { MetricsFile } from "../run_folder/metrics_file.ts";
import { parsePartKey } from "../run_folder/part_key.ts";
import { FAILED, type SweepOutcome, type TrialResult } from "./run_sweep.ts";
import type { Selection } from "./select.ts";
import { displayPath, formatSeconds } from "./sweep_progress.ts";
import { type KeyMetric, metricSpread, metricValue, readTrialMetrics } from "./trial_metrics.ts";

export { type KeyMetric, metricValue } from "./trial_metrics.ts";

/**
 * `dev.ndcg@10`, `ndcg@10` or `ndcg` (a bare name is looked up in the first part of the
 * metrics, usually test). Without a choice: the first metric of the first part of the first
 * run folder, without its cutoff.
 */
export function keyMetric(results: TrialResult[], wanted?: string): KeyMetric | undefined {
  const first = results.map((r) => r.runDir && readTrialMetrics(r.runDir)?.metrics).find(
    Boolean,
  );
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

/** The metrics of a trial's run folder (a duplicate's is its original's). */
export function trialMetrics(result: TrialResult): MetricsFile | undefined {
  return result.runDir ? readTrialMetrics(result.runDir) : undefined;
}

/**
 * The table printed at the end: trial, overrides, status, time, run folder, then the
 * metrics shown: the key metric (`--metric`), the select metric and the same metric on
 * test. The selected trial's number is marked with `*`.
 */
export function summaryTable(
  outcome: SweepOutcome,
  metric?: KeyMetric,
  selection?: Selection,
): string {
  const shown: KeyMetric[] = [];
  const add = (m: KeyMetric) => {
    if (!shown.some((s) => s.part === m.part && s.name === m.name)) shown.push(m);
  };
  if (metric) add(metric);
  if (selection) {
    add(selection.metric);
    add({ part: "test", name: selection.metric.name });
  }
  const header = ["trial", "overrides", "status", "time", "run folder"];
  for (const m of shown) header.push(`${m.part} ${m.name}`);
  const rows = outcome.results.map((r) => {
    const selected = selection?.trial === r;
    const row = [
      `${r.trial.index}${selected ? " *" : ""}`,
      r.trial.overrides.map((o) => o.text).join(" "),
      r.status === "duplicate" ? `same as ${r.duplicateOf}` : r.status,
      r.seconds === undefined ? "" : formatSeconds(r.seconds),
      r.runDir ? displayPath(r.runDir) : "",
    ];
    const metrics = trialMetrics(r);
    for (const m of shown) {
      const value = metrics && metricValue(metrics.metrics, m);
      const spread = metrics ? metricSpread(metrics, m) : {};
      row.push(formatMetricCell(value ?? undefined, spread.ci, spread.std));
    }
    return row;
  });
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") +
    "\n";
}

/**
 * Under the table: which trial was selected and by what, then its metrics on every part
 * but single folds (test beside dev), with their intervals; or why none was.
 */
export function selectionReport(selection: Selection): string {
  const { metric, trial } = selection;
  if (!trial) {
    return `no trial selected: no trial has ${metric.text} ` +
      "(choose a metric with sweep.select or --select, e.g. dev.rmse)\n";
  }
  const overrides = trial.trial.overrides.map((o) => o.text).join(" ");
  const metrics = trialMetrics(trial)!;
  const parts = Object.keys(metrics.metrics).filter((p) => parsePartKey(p).fold === undefined);
  const shown = Object.fromEntries(parts.map((p) => [p, metrics.metrics[p]]));
  const without = selection.without.length
    ? ` (not compared: trial${selection.without.length > 1 ? "s" : ""} ` +
      `${selection.without.join(", ")}, without ${metric.text} or with no value)`
    : "";
  return `* selected: trial ${trial.trial.index}${overrides ? ` (${overrides})` : ""}, the ` +
    `${metric.better === "higher" ? "highest" : "lowest"} ${metric.text} ` +
    `(${metric.better} is better)${without}; its metrics, test beside ${metric.part}:\n\n` +
    metricsText(shown, metrics.uncertainty);
}

/** The failed, killed and cancelled trials with their logs, or "" when none failed. */
export function failureReport(outcome: SweepOutcome): string {
  const failed = outcome.results.filter((r) => FAILED.has(r.status));
  if (!failed.length) return "";
  const notRun = outcome.results.filter((r) => r.status === "not run").length;
  const cancelled = failed.some((r) => r.status === "cancelled") ? " or were cancelled" : "";
  const lines = [`${failed.length} of ${outcome.results.length} trials failed${cancelled}:`];
  for (const r of failed) {
    const why = r.status === "killed" ? "killed (--fail-fast)" : r.note ?? `exit ${r.exitCode}`;
    const overrides = r.trial.overrides.map((o) => o.text).join(" ");
    // A Slurm task cancelled before it started has no log.
    const log = hasFile(r.logFile!) ? `log: ${displayPath(r.logFile!)}` : "no log (never started)";
    lines.push(`  trial ${r.trial.index} (${overrides}): ${why}; ${log}`);
  }
  if (notRun) lines.push(`${notRun} trial(s) not run (--fail-fast)`);
  return lines.join("\n") + "\n";
}

function hasFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
