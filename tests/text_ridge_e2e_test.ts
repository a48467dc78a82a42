/**
 * experiments/text-ridge.yaml end to end on the embedded data: the study's item protocol,
 * bert.yaml's metrics, a baseline that beats the training mean, the λ path recorded, and a
 * λ sweep that never re-tokenises.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { writeRunReport } from "../runners/report/run_report.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const cacheDir = tempDir("text-ridge-e2e-cache-");
const resultsDir = tempDir("text-ridge-e2e-results-");

async function textRidge(...overrides: string[]) {
  const { spec } = await loadSpec(
    join(root, "experiments", "text-ridge.yaml"),
    overrides.map(parseOverride),
  );
  return runExperiment(spec, { cacheDir, resultsDir, quiet: true });
}

Deno.test("text-ridge.yaml on the embedded default data beats the training-mean baseline", async () => {
  const outcome = await textRidge();
  const { test, dev } = outcome.metrics;
  assert.deepEqual(Object.keys(test).sort(), ["baseline_rmse", "mae", "r2", "rmse"]);
  assert.ok(test.rmse < test.baseline_rmse, `test rmse ${test.rmse} vs ${test.baseline_rmse}`);
  assert.ok(dev.rmse < dev.baseline_rmse, `dev rmse ${dev.rmse} vs ${dev.baseline_rmse}`);
  assert.ok(test.r2 > 0.2, `test r2 ${test.r2}`);

  const csv = Deno.readTextFileSync(join(outcome.runDir, "predictions.csv")).trim().split("\n");
  assert.equal(csv[0], "anime_id,score,pred_score");
  const split = outcome.record.steps.find((s) => s.name === "split")!;
  assert.equal(csv.length - 1, (split.meta!.counts as Record<string, number>).test);

  // run.json holds the dev RMSE of every λ; the kept one is the dev-best.
  const fit = outcome.record.steps.find((s) => s.name === "fit_ridge")!;
  const path = fit.meta!.lambda_path as Array<
    { lambda: number; train_rmse: number; dev_rmse: number }
  >;
  assert.deepEqual(path.map((p) => p.lambda), [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100]);
  const best = path.reduce((a, b) => (b.dev_rmse < a.dev_rmse ? b : a));
  assert.equal(fit.meta!.lambda, best.lambda);
  assert.ok(Math.abs(best.dev_rmse - dev.rmse) < 1e-9);
  const table = Deno.readTextFileSync(join(outcome.runDir, "lambda_path.csv")).trim().split("\n");
  assert.equal(table[0], "lambda,train_rmse,dev_rmse,kept");
  assert.equal(table.length, path.length + 1);
  assert.deepEqual(table.filter((row) => row.endsWith(",true")), [
    `${best.lambda},${
      path.find((p) => p.lambda === best.lambda)!.train_rmse
    },${best.dev_rmse},true`,
  ]);
  const html = Deno.readTextFileSync(await writeRunReport(outcome.runDir));
  assert.match(html, /Ridge penalty path/);

  // A λ sweep re-runs the ridge only, never the features.
  const again = await textRidge("model.lambdas=[0.5, 2]");
  const status = Object.fromEntries(again.record.steps.map((s) => [s.name, s.status]));
  assert.equal(status.fit_ridge, "computed");
  assert.notEqual(status.text_features, "computed");
});

Deno.test("catalogue columns as features: genres, type and studios add columns and help", async () => {
  const words = await textRidge();
  const all = await textRidge("model.features=[synopsis, genres, type, studios]");
  const features = all.record.steps.find((s) => s.name === "text_features")!;
  const blocks = features.meta!.blocks as Record<string, number>;
  assert.deepEqual(Object.keys(blocks), ["synopsis", "genres", "type", "studios"]);
  for (const [block, columns] of Object.entries(blocks)) assert.ok(columns > 0, block);
  assert.ok(
    all.metrics.dev.rmse < words.metrics.dev.rmse,
    `${all.metrics.dev.rmse} vs ${words.metrics.dev.rmse}`,
  );
});
