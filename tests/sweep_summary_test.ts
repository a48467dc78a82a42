import assert from "node:assert/strict";
import { join } from "node:path";
import type { SweepOutcome } from "../runners/sweep/run_sweep.ts";
import { keyMetric, summaryTable } from "../runners/sweep/summary.ts";
import type { Experiment } from "../runners/spec/schema.ts";

Deno.test("sweep summary: a NaN metric (null in metrics.json) is an empty cell, not a crash", () => {
  const dir = Deno.makeTempDirSync({ prefix: "sweep-summary-" });
  try {
    const runs = ["a", "b"].map((name, i) => {
      const runDir = join(dir, name);
      Deno.mkdirSync(runDir);
      const rmse = i === 0 ? null : 0.25;
      Deno.writeTextFileSync(join(runDir, "metrics.json"), JSON.stringify({ dev: { rmse } }));
      return runDir;
    });
    const outcome: SweepOutcome = {
      sweepId: "x",
      failed: 0,
      seconds: 1,
      results: runs.map((runDir, i) => ({
        trial: { index: i + 1, overrides: [], spec: {} as Experiment, fingerprint: String(i) },
        status: "done",
        runDir,
        seconds: 1,
      })),
    };
    const metric = keyMetric(outcome.results, "dev.rmse");
    assert.deepEqual(metric, { part: "dev", name: "rmse" });
    const table = summaryTable(outcome, metric);
    assert(table.includes("0.2500"), table);
    const rows = table.trim().split("\n");
    assert.equal(rows.length, 4, table);
    assert.equal(rows[2].trimEnd().endsWith("a"), true, table);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
