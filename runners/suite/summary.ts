import { defaultRankingMetrics } from "../../metrics/registry.ts";
import { perUserFile, readPerUserValues } from "../run_folder/per_user_values.ts";
import { UNDERFLOWED_P } from "../compare/cells.ts";
import { adjustPValues } from "../compare/p_value_correction.ts";
import { pairedTests } from "../compare/significance.ts";
import { formatMetricCell } from "../results.ts";
import type { RunOutcome } from "../run.ts";
import type { Interval } from "../uncertainty/bootstrap.ts";

interface Row {
  label: string;
  outcome: RunOutcome;
}

export interface SummaryTable {
  csv: string;
  markdown: string;
}

/** The first metric of a part whose name starts with `base@` (or equals `base`). */
function metric(outcome: RunOutcome, part: string, base: string): number | undefined {
  const values = outcome.metrics[part] ?? {};
  const name = metricName(values, base);
  return name === undefined ? undefined : values[name];
}

/** That metric's confidence interval, when the run has one. */
function interval(outcome: RunOutcome, part: string, base: string): Interval | undefined {
  const name = metricName(outcome.metrics[part] ?? {}, base);
  return name === undefined ? undefined : outcome.uncertainty?.ci[part]?.[name];
}

function metricName(values: Record<string, number>, base: string): string | undefined {
  return Object.keys(values).find((n) => n === base || n.startsWith(`${base}@`));
}

const cell = (value: number | undefined, digits = 4) =>
  value === undefined || Number.isNaN(value) ? "" : value.toFixed(digits);

function table(header: string[], rows: string[][]): SummaryTable {
  const csv = [header, ...rows].map((r) => r.join(",")).join("\n") + "\n";
  const markdown = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n") + "\n";
  return { csv, markdown };
}

/** The study's `metrics_summary.csv`: model,prec,recall,ndcg,rmse from the test part. */
export function faithfulSummary(rows: Row[]): SummaryTable {
  return table(
    ["model", "prec", "recall", "ndcg", "rmse"],
    rows.map(({ label, outcome }) => [
      label,
      cell(metric(outcome, "test", "precision")),
      cell(metric(outcome, "test", "recall")),
      cell(metric(outcome, "test", "ndcg")),
      cell(metric(outcome, "test", "rmse"), 2),
    ]),
  );
}

/** Read when a table is made: the default list follows the metric registry. */
const soundMetrics = () => [...defaultRankingMetrics(), "rmse"];

/**
 * The sound protocol's table: test and dev metrics (each part scored against its own
 * rows) with their 95% intervals, beyond-accuracy figures, and paired tests (t-test and
 * Wilcoxon p-values) of test ndcg against the baseline, raw and Holm-corrected over the
 * table's comparisons. The Markdown shows `value [low, high]`; the CSV keeps the bounds in
 * `<column>_ci_low` / `_ci_high` columns.
 */
export function soundSummary(rows: Row[], baseline: string | null): SummaryTable {
  const columns: Array<{ name: string; part: string; base: string; digits: number }> = [
    ...soundMetrics().map((m) => ({
      name: `test_${m}`,
      part: "test",
      base: m,
      digits: m === "popularity_percentile" ? 2 : 4,
    })),
    { name: "dev_ndcg", part: "dev", base: "ndcg", digits: 4 },
  ];
  const base = rows.find((r) => r.label === baseline);
  const tests = rows.map(({ label, outcome }) =>
    base && base.label !== label ? significance(base.outcome.runDir, outcome.runDir) : undefined
  );
  const holmT = adjustPValues(tests.map((t) => t?.t ?? NaN), "holm");
  const holmW = adjustPValues(tests.map((t) => t?.wilcoxon ?? NaN), "holm");
  const pair = (t: number, w: number) => `${pValue(t)} / ${pValue(w)}`;
  const pCells = (i: number) =>
    tests[i] ? [pair(tests[i]!.t, tests[i]!.wilcoxon), pair(holmT[i], holmW[i])] : ["", ""];
  const pHeader = ["ndcg_p_t_wilcoxon", "ndcg_p_holm_t_wilcoxon"];

  const csvHeader = [
    "model",
    ...columns.flatMap((c) => [c.name, `${c.name}_ci_low`, `${c.name}_ci_high`]),
    ...pHeader,
  ];
  const csvRows = rows.map(({ label, outcome }, i) => [
    label,
    ...columns.flatMap((c) => {
      const ci = interval(outcome, c.part, c.base);
      return [
        cell(metric(outcome, c.part, c.base), c.digits),
        cell(ci?.[0], c.digits),
        cell(ci?.[1], c.digits),
      ];
    }),
    ...pCells(i),
  ]);
  const mdRows = rows.map(({ label, outcome }, i) => [
    label,
    ...columns.map((c) => {
      const value = metric(outcome, c.part, c.base);
      const ci = interval(outcome, c.part, c.base);
      // popularity percentiles read better to 2 decimals
      return c.digits === 4
        ? formatMetricCell(value, ci)
        : cell(value, c.digits) + (ci ? ` [${cell(ci[0], 2)}, ${cell(ci[1], 2)}]` : "");
    }),
    ...pCells(i),
  ]);
  return {
    csv: table(csvHeader, csvRows).csv,
    markdown: table(["model", ...columns.map((c) => c.name), ...pHeader], mdRows).markdown,
  };
}

const pValue = (value: number) =>
  value === 0 ? UNDERFLOWED_P : Number.isFinite(value) ? value.toExponential(2) : "n/a";

/** Paired tests of test ndcg against the baseline, when both runs have per-user values. */
function significance(
  baseDir: string,
  otherDir: string,
): { t: number; wilcoxon: number } | undefined {
  for (const dir of [baseDir, otherDir]) {
    try {
      Deno.statSync(perUserFile(dir, "test"));
    } catch {
      return undefined;
    }
  }
  const tests = pairedTests(
    readPerUserValues(baseDir, "test"),
    readPerUserValues(otherDir, "test"),
  );
  const ndcg = tests.find((t) => t.metric.startsWith("ndcg"));
  return ndcg && { t: ndcg.tPValue, wilcoxon: ndcg.wilcoxonPValue };
}
