/**
 * A fine-tune killed (SIGKILL) after an epoch's checkpoint reached the cache resumes from
 * that epoch when the experiment runs again, and ends with the metrics of an uninterrupted
 * run; meanwhile `gc --dry-run` lists its checkpoints. The kill waits on a file-system event
 * for the checkpoint, not on a timer.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { denoRunArgs } from "../runners/paths.ts";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { runCli } from "./helpers/cli.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const spec = join(root, "experiments", "bert-finetune.yaml");
const SETTINGS = ["data.scale=tiny", "model.encoder.max_length=64", "model.finetune.epochs=3"];

async function runInProcess(cacheDir: string) {
  const { spec: experiment } = await loadSpec(spec, SETTINGS.map(parseOverride));
  return runExperiment(experiment, {
    cacheDir,
    resultsDir: tempDir("resume-results-"),
    quiet: true,
  });
}

/** Starts the run in a child process and kills it once an epoch checkpoint is written. */
async function killAfterFirstCheckpoint(cacheDir: string): Promise<void> {
  const watcher = Deno.watchFs(cacheDir, { recursive: true });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...denoRunArgs,
      join(root, "runners", "cli.ts"),
      "run",
      spec,
      ...SETTINGS.flatMap((s) => ["--set", s]),
      "--cache-dir",
      cacheDir,
      "--results-dir",
      tempDir("resume-killed-"),
      "-q",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for await (const event of watcher) {
    if (event.paths.some((p) => p.endsWith("state.json"))) break;
  }
  watcher.close();
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL", "the run ended before it could be killed");
}

Deno.test("a killed fine-tune resumes from its last epoch with the uninterrupted metrics", async () => {
  const whole = await runInProcess(tempDir("resume-whole-cache-"));
  const cacheDir = tempDir("resume-cache-");
  await killAfterFirstCheckpoint(cacheDir);
  // gc's dry run lists the killed run's checkpoints as a group of their own, touching nothing.
  const gc = await runCli([
    "gc",
    "--dry-run",
    "--cache-dir",
    cacheDir,
    "--results-dir",
    tempDir("resume-gc-results-"),
  ]);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(
    gc.stdout,
    /would remove {2}[0-9a-f]{16} .* finetune, run \d{8}T\d{6}Z-[0-9a-f]{6}\n/,
  );
  assert.match(gc.stdout, /would remove 1 checkpoint folder \(\d/);
  const resumed = await runInProcess(cacheDir);
  const step = resumed.record.steps.find((s) => s.name === "finetune")!;
  assert.equal(step.status, "computed");
  const resumedAfter = step.meta!.resumed_after as number;
  assert.ok(resumedAfter >= 1 && resumedAfter < 3, `resumed after epoch ${resumedAfter}`);
  assert.ok(step.log.some((line) => line.startsWith(`resuming after epoch ${resumedAfter}`)));
  assert.deepEqual(resumed.metrics, whole.metrics);
  const wholeStep = whole.record.steps.find((s) => s.name === "finetune")!;
  assert.deepEqual(step.meta!.curves, wholeStep.meta!.curves);
});
