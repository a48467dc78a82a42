/** The reports show metrics.json's intervals and fold spreads beside the values. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeComparisonReport } from "../runners/report/comparison_report.ts";
import { metricsTable, writeRunReport } from "../runners/report/run_report.ts";
import { copyFixture, copySweep } from "./report_helpers.ts";

/** Adds intervals (value ± 0.01) for every test metric of a copied run folder. */
function addIntervals(dir: string): Record<string, number> {
  const file = join(dir, "metrics.json");
  const metrics = JSON.parse(Deno.readTextFileSync(file));
  const test = metrics.test as Record<string, number>;
  metrics.ci = {
    test: Object.fromEntries(Object.entries(test).map(([k, v]) => [k, [v - 0.01, v + 0.01]])),
  };
  Deno.writeTextFileSync(file, JSON.stringify(metrics));
  return test;
}

const cell = (v: number) => `${v.toFixed(4)} [${(v - 0.01).toFixed(4)}, ${(v + 0.01).toFixed(4)}]`;

Deno.test("run report: value [low, high] and what it means; mean ± std over folds", async () => {
  const dir = copyFixture("svdpp-small");
  try {
    const test = addIntervals(dir);
    const html = Deno.readTextFileSync(await writeRunReport(dir));
    for (const value of Object.values(test)) {
      assert.ok(html.includes(`>${cell(value)}<`), cell(value));
    }
    assert.match(html, /95% bootstrap confidence interval/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  const table = metricsTable(
    { test: { rmse: 1.5 }, test_fold1: { rmse: 1.4 } },
    { ci: {}, std: { test: { rmse: 0.05 } } },
  );
  assert.ok(table.includes(">1.5000 ± 0.0500<"), table);
  assert.match(table, /± standard deviation over folds/);
});

Deno.test("comparison report: intervals in the metric tables", async () => {
  const runs = copySweep();
  try {
    const test = addIntervals(runs[0]);
    const out = join(runs[0], "..", "comparison.html");
    await writeComparisonReport(runs, out);
    const html = Deno.readTextFileSync(out);
    const [name, value] = Object.entries(test)[0];
    assert.ok(html.includes(cell(value)), `${name}: ${cell(value)}`);
  } finally {
    Deno.removeSync(join(runs[0], ".."), { recursive: true });
  }
});
