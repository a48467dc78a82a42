import { defaultRankingMetrics } from "../../metrics/registry.ts";
import { perUserFile, readPerUserValues } from "../run_folder/per_user_values.ts";
import { pairedTests } from "../compare/significance.ts";
import type { RunOutcome } from "../run.ts";

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
  const name = Object.keys(values).find((n) => n === base || n.startsWith(`${base}@`));
  return name === undefined ? undefined : values[name];
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
 * rows), beyond-accuracy figures, and paired tests (t-test and Wilcoxon p-values) of test ndcg
 * against the baseline.
 */
export function soundSummary(rows: Row[], baseline: string | null): SummaryTable {
  const header = [
    "model",
    ...soundMetrics().map((m) => `test_${m}`),
    "dev_ndcg",
    "ndcg_p_t_wilcoxon",
  ];
  const base = rows.find((r) => r.label === baseline);
  return table(
    header,
    rows.map(({ label, outcome }) => [
      label,
      ...soundMetrics().map((m) =>
        cell(metric(outcome, "test", m), m === "popularity_percentile" ? 2 : 4)
      ),
      cell(metric(outcome, "dev", "ndcg")),
      base && base.label !== label ? significance(base.outcome.runDir, outcome.runDir) : "",
    ]),
  );
}

/** Paired tests of test ndcg against the baseline: "t p / Wilcoxon p", when both runs have per-user values. */
function significance(baseDir: string, otherDir: string): string {
  for (const dir of [baseDir, otherDir]) {
    try {
      Deno.statSync(perUserFile(dir, "test"));
    } catch {
      return "";
    }
  }
  const tests = pairedTests(
    readPerUserValues(baseDir, "test"),
    readPerUserValues(otherDir, "test"),
  );
  const ndcg = tests.find((t) => t.metric.startsWith("ndcg"));
  if (!ndcg) return "";
  const p = (value: number) => (Number.isFinite(value) ? value.toExponential(2) : "n/a");
  return `${p(ndcg.tPValue)} / ${p(ndcg.wilcoxonPValue)}`;
}
