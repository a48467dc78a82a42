/**
 * `compare` and `report` mark the same best value for every registered metric: both read
 * which way a metric improves from the metric registry.
 */
import assert from "node:assert/strict";
import { metricDefinition, metricNames, registerMetric } from "../metrics/registry.ts";
import { buildComparison } from "../runners/compare/compare_table.ts";
import { metricDirection } from "../runners/compare/metric_direction.ts";
import { comparisonReportHtml } from "../runners/report/comparison_report.ts";
import type { RunFolder } from "../runners/run_folder/read_run.ts";

// One added from outside as well: its direction must reach both readers.
registerMetric({
  kind: "rating",
  name: "toy_error",
  description: "a registered error",
  better: "lower",
  compute: () => 0,
});

const LOW = 0.25;
const HIGH = 0.75;

/** Two runs of one experiment that differ only in the value of `column` on test. */
function twoRuns(column: string): RunFolder[] {
  return [LOW, HIGH].map((value, i) => ({
    id: `run${i}`,
    dir: `/nowhere/run${i}`,
    spec: { name: "directions", model: { type: "toppop" } },
    specText: "name: directions\n",
    metrics: { test: { [column]: value } },
  }));
}

/** The value `compare` marks best: LOW, HIGH or undefined (not ranked). */
function compareBest(column: string): number | undefined {
  const table = buildComparison(twoRuns(column));
  return table.columns.find((c) => c.name === `test.${column}`)?.best;
}

/** The value the comparison report marks best. */
async function reportBest(column: string): Promise<number | undefined> {
  const html = await comparisonReportHtml(twoRuns(column));
  const marked = [...html.matchAll(/<strong class="best">([^<]*)<\/strong>/g)].map((m) => m[1]);
  assert.ok(marked.length <= 1, `${column}: ${marked.join(", ")}`);
  return marked.length ? Number(marked[0]) : undefined;
}

/** The column name a run writes for a metric: ranking-side ones carry the cutoff. */
function columnOf(name: string): string {
  return metricDefinition(name)!.kind === "rating" ? name : `${name}@10`;
}

Deno.test("compare and report mark the same best value for every registered metric", async () => {
  assert.ok(metricNames().includes("toy_error"));
  for (const name of metricNames()) {
    const column = columnOf(name);
    const expected = metricDefinition(name)!.better === "higher" ? HIGH : LOW;
    assert.equal(compareBest(column), expected, `compare, ${column}`);
    assert.equal(await reportBest(column), expected, `report, ${column}`);
  }
});

Deno.test("reference figures and unknown names are ranked by neither", async () => {
  for (const column of ["baseline_rmse", "users", "not_a_metric@10"]) {
    assert.equal(metricDirection(column), "neutral", column);
    assert.equal(compareBest(column), undefined, `compare, ${column}`);
    assert.equal(await reportBest(column), undefined, `report, ${column}`);
  }
});
