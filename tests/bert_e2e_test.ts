/**
 * The BERT experiment end to end through the runner: the study's item protocol, a tiny
 * generated model loaded like a real one, cached embeddings, and a head that beats the
 * training-mean baseline on the embedded data.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { UserError } from "../runners/errors.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const cacheDir = tempDir("bert-e2e-cache-");
const resultsDir = tempDir("bert-e2e-results-");

async function bert(...overrides: string[]) {
  const { spec } = await loadSpec(
    join(root, "experiments", "bert.yaml"),
    overrides.map(parseOverride),
  );
  return runExperiment(spec, { cacheDir, resultsDir, quiet: true });
}

Deno.test("bert.yaml on the embedded default data beats the training-mean baseline", async () => {
  const outcome = await bert();
  const { test, dev } = outcome.metrics;
  assert.ok(
    test.rmse < test.baseline_rmse,
    `test rmse ${test.rmse} vs baseline ${test.baseline_rmse}`,
  );
  assert.ok(dev.rmse < dev.baseline_rmse);
  assert.ok(test.r2 > 0);
  const csv = Deno.readTextFileSync(join(outcome.runDir, "predictions.csv")).trim().split("\n");
  assert.equal(csv[0], "anime_id,score,pred_score");
  const split = outcome.record.steps.find((s) => s.name === "split")!;
  assert.equal(csv.length - 1, (split.meta!.counts as Record<string, number>).test);
  const curves = Deno.readTextFileSync(join(outcome.runDir, "learning_curves.csv"));
  assert.match(curves, /^part,epoch,train_rmse,dev_rmse\ntrain_head,1,/);

  // A sweep over head settings never embeds again.
  const again = await bert("model.head.learning_rate=0.003");
  const status = Object.fromEntries(again.record.steps.map((s) => [s.name, s.status]));
  assert.equal(status.train_head, "computed");
  assert.ok(status.embed === "cached" || status.embed === "not needed");
  assert.notEqual(status.embed, "computed");
});

Deno.test("a model folder without a model file is a UserError naming the folder", async () => {
  const folder = tempDir("no-model-");
  Deno.writeTextFileSync(join(folder, "config.json"), "{}");
  const error = await caught(() => bert("data.scale=tiny", `model.model_dir=${folder}`));
  assert.ok(error instanceof UserError, String(error));
  assert.equal(error.location.path, "model.model_dir");
});

Deno.test("bert needs the item split", async () => {
  const { spec } = await loadSpec(join(root, "experiments", "bert.yaml"));
  const error = await caught(() =>
    runExperiment({ ...spec, split: { method: "per_user", test: 1, dev: 1, rng: "seeded" } }, {
      cacheDir,
      resultsDir,
      quiet: true,
    })
  );
  assert.ok(error instanceof UserError);
  assert.equal(error.location.path, "split.method");
});
