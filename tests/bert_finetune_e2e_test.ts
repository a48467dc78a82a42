/**
 * Fine-tuning through the runner on the embedded data with the generated tiny BERT (64
 * tokens to keep it short): bert-finetune.yaml beats bert.yaml's dev RMSE under the same
 * settings, the run folder receives the fine-tuned model folder, that folder works as the
 * model_dir of another run (its ONNX graph and safetensors hold the same weights), the
 * epoch checkpoints are gone once the step is saved, and bad settings are named.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadBertWeights } from "../models/bert/bert_weights_file.ts";
import { UserError } from "../runners/errors.ts";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const cacheDir = tempDir("bert-finetune-e2e-cache-");
const resultsDir = tempDir("bert-finetune-e2e-results-");
const SHORT = "model.encoder.max_length=64";

async function run(file: string, ...overrides: string[]) {
  const { spec } = await loadSpec(join(root, "experiments", file), overrides.map(parseOverride));
  return runExperiment(spec, { cacheDir, resultsDir, quiet: true });
}

Deno.test("bert-finetune.yaml beats bert.yaml's dev RMSE and saves a usable model folder", async () => {
  const frozen = await run("bert.yaml", SHORT);
  const tuned = await run("bert-finetune.yaml", SHORT);
  assert.ok(
    tuned.metrics.dev.rmse < frozen.metrics.dev.rmse,
    `fine-tuned dev RMSE ${tuned.metrics.dev.rmse} vs frozen ${frozen.metrics.dev.rmse}`,
  );
  assert.ok(tuned.metrics.test.rmse < tuned.metrics.test.baseline_rmse);
  const step = tuned.record.steps.find((s) => s.name === "finetune")!;
  assert.equal(step.status, "computed");
  const curves = Deno.readTextFileSync(join(tuned.runDir, "learning_curves.csv"));
  assert.match(curves, /\nfinetune,3,/);
  // the checkpoints of the finished step are gone
  const checkpoints = join(cacheDir, "checkpoints", step.fingerprint);
  assert.throws(() => Deno.statSync(checkpoints), Deno.errors.NotFound);

  const model = join(tuned.runDir, "model");
  for (const file of ["config.json", "tokenizer.json", "model.safetensors", "onnx/model.onnx"]) {
    assert.ok(Deno.statSync(join(model, file)).isFile, file);
  }
  assert.ok(tuned.record.files![`model/model.safetensors`], "run.json checksums the model");
  // the ONNX graph holds the fine-tuned weights, as the safetensors do
  const copy = tempDir("finetuned-copy-");
  Deno.mkdirSync(join(copy, "onnx"));
  for (const file of ["config.json", "tokenizer.json", "onnx/model.onnx"]) {
    Deno.copyFileSync(join(model, file), join(copy, file));
  }
  const fromOnnx = (await loadBertWeights(copy)).weights;
  const fromSafetensors = (await loadBertWeights(model)).weights;
  assert.deepEqual(fromOnnx, fromSafetensors);

  // usable as another run's model_dir: frozen embeddings from the fine-tuned encoder
  const reused = await run("bert.yaml", SHORT, `model.model_dir=${model}`);
  assert.ok(Number.isFinite(reused.metrics.dev.rmse));
  const embed = reused.record.steps.find((s) => s.name === "embed")!;
  assert.equal(embed.status, "computed");
});

Deno.test("more layers to train than the encoder has is named", async () => {
  const error = await caught(() => run("bert-finetune.yaml", SHORT, "model.finetune.layers=5"));
  assert.ok(error instanceof UserError, String(error));
  assert.equal(error.location.path, "model.finetune.layers");
  assert.match(error.message, /5 layers to train, but the encoder has 2/);
});
