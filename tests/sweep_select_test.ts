/** A sweep's selection: best trial by a dev metric, direction from the registry. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../runners/errors.ts";
import type { SweepOutcome, TrialResult } from "../runners/sweep/run_sweep.ts";
import { parseSelect, selectTrial } from "../runners/sweep/select.ts";
import { selectionReport, summaryTable, trialMetrics } from "../runners/sweep/summary.ts";
import type { Experiment } from "../runners/spec/schema.ts";

/** Trials whose run folders hold the given metrics.json contents. */
function trials(dir: string, contents: Array<Record<string, unknown> | undefined>): TrialResult[] {
  return contents.map((metrics, i) => {
    const runDir = join(dir, `run${i + 1}`);
    if (metrics) {
      Deno.mkdirSync(runDir);
      Deno.writeTextFileSync(join(runDir, "metrics.json"), JSON.stringify(metrics));
    }
    return {
      trial: {
        index: i + 1,
        overrides: [{ text: `model.lr=${i + 1}` }] as TrialResult["trial"]["overrides"],
        spec: {} as Experiment,
        fingerprint: String(i),
      },
      status: metrics ? "ran" : "failed",
      runDir: metrics ? runDir : undefined,
      seconds: 1,
    };
  });
}

function withDir(body: (dir: string) => void) {
  const dir = Deno.makeTempDirSync({ prefix: "sweep-select-" });
  try {
    body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const where = { path: "--select" };

Deno.test("parse: <part>.<metric>, direction from the registry, dev.ndcg@10 by default", () => {
  assert.deepEqual(parseSelect(undefined, where), {
    part: "dev",
    name: "ndcg@10",
    text: "dev.ndcg@10",
    better: "higher",
    explicit: false,
  });
  assert.equal(parseSelect("dev.rmse", where).better, "lower");
  assert.equal(parseSelect("dev.ndcg", where).explicit, true);
  for (const bad of ["ndcg@10", "dev.", "dev.foo@10"]) {
    assert.throws(() => parseSelect(bad, where), (e: unknown) => e instanceof UserError);
  }
});

Deno.test("select: highest ndcg, lowest rmse; NaN and failed trials never win; ties to the first", () => {
  withDir((dir) => {
    const results = trials(dir, [
      { dev: { "ndcg@10": 0.2, rmse: 1.1 }, test: { "ndcg@10": 0.19, rmse: 1.2 } },
      { dev: { "ndcg@10": 0.3, rmse: null }, test: { "ndcg@10": 0.25, rmse: 1.0 } },
      undefined,
      { dev: { "ndcg@10": 0.3, rmse: 0.9 }, test: { "ndcg@10": 0.28, rmse: 0.95 } },
      { dev: { "ndcg@10": null, rmse: 1.0 } },
    ]);
    const ndcg = selectTrial(results, parseSelect(undefined, where), trialMetrics, where);
    assert.equal(ndcg.trial?.trial.index, 2, "0.3 twice: the first trial");
    assert.equal(ndcg.value, 0.3);
    const rmse = selectTrial(results, parseSelect("dev.rmse", where), trialMetrics, where);
    assert.equal(rmse.trial?.trial.index, 4);
    assert.deepEqual(rmse.without, [2], "NaN: not compared (the failed trial has no folder)");
    assert.deepEqual(ndcg.without, [5]);
    assert.match(
      selectionReport(rmse),
      /\(lower is better\) \(not compared: trial 2, without dev\.rmse or with no value\)/,
    );
  });
});

Deno.test("a metric no trial has: an error when named, a note when it is the default", () => {
  withDir((dir) => {
    const results = trials(dir, [{ test: { rmse: 1 }, test_fold1: { rmse: 1 } }]);
    const error = (() => {
      try {
        selectTrial(results, parseSelect("dev.rmse", where), trialMetrics, where);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof UserError);
    assert.match(
      error.describe(),
      /^--select: no trial has the metric 'dev.rmse' to select by; they have: test.rmse, test_fold1.rmse$/,
    );
    const none = selectTrial(results, parseSelect(null, where), trialMetrics, where);
    assert.equal(none.trial, undefined);
    assert.match(selectionReport(none), /no trial selected: no trial has dev.ndcg@10/);
  });
});

Deno.test("summary: the selected trial marked, dev and test side by side, its metrics below", () => {
  withDir((dir) => {
    const results = trials(dir, [
      { test: { "ndcg@10": 0.19 }, dev: { "ndcg@10": 0.2 } },
      {
        test: { "ndcg@10": 0.25, "precision@10": 0.03 },
        dev: { "ndcg@10": 0.3, "precision@10": 0.04 },
        test_fold1: { "ndcg@10": 0.2 },
        ci: { test: { "ndcg@10": [0.2, 0.3] } },
      },
    ]);
    const outcome: SweepOutcome = { sweepId: "x", failed: 0, seconds: 2, results };
    const selection = selectTrial(results, parseSelect(undefined, where), trialMetrics, where);
    const lines = summaryTable(outcome, undefined, selection).split("\n");
    assert.match(lines[0], /dev ndcg@10\s+test ndcg@10$/);
    assert.match(lines[2], /^1 {4}.*0\.2000\s+0\.1900$/);
    assert.match(lines[3], /^2 \* .*0\.3000\s+0\.2500 \[0\.2000, 0\.3000\]$/);
    const report = selectionReport(selection);
    assert.match(
      report,
      /^\* selected: trial 2 \(model\.lr=2\), the highest dev\.ndcg@10 \(higher is better\)/,
    );
    assert.match(report, /precision@10\s+0\.0300\s+0\.0400/);
    assert.ok(!report.includes("test_fold1"), "single folds left out");
  });
});
