/** `check`: a recorded run re-executes to the same metrics; tampering or drift fails. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkRun, compareMetrics } from "../runners/check/check_run.ts";
import { UserError } from "../runners/errors.ts";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";

const root = join(import.meta.dirname!, "..");

async function recordTinyRun(): Promise<string> {
  const { spec } = await loadSpec(join(root, "experiments", "ci-reference.yaml"), [
    parseOverride("model.epochs=2"),
  ]);
  const outcome = await runExperiment(spec, {
    cacheDir: Deno.makeTempDirSync(),
    resultsDir: Deno.makeTempDirSync(),
    quiet: true,
  });
  return outcome.runDir;
}

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "runners", "cli.ts"), ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("a recorded SVD++ run reproduces exactly; a tampered metrics.json fails with a table", async () => {
  const runDir = await recordTinyRun();
  const clean = await checkRun(runDir, { quiet: true });
  assert.deepEqual(clean.drifts, []);
  assert.ok(clean.compared > 10);

  const file = join(runDir, "metrics.json");
  const metrics = JSON.parse(Deno.readTextFileSync(file));
  metrics.test["ndcg@10"] += 1e-6;
  Deno.writeTextFileSync(file, JSON.stringify(metrics));
  const { code, stdout } = await cli("check", runDir, "-q");
  assert.equal(code, 1);
  assert.match(stdout, /DRIFT .*: 1 of \d+ metrics differ/);
  assert.match(stdout, /test\.ndcg@10/);
  // Within a stated tolerance the same run passes.
  const tolerant = await cli("check", runDir, "-q", "--tolerance", "1e-5");
  assert.equal(tolerant.code, 0, tolerant.stdout + tolerant.stderr);
});

Deno.test("check on a folder that is not a run exits 2", async () => {
  const folder = Deno.makeTempDirSync();
  const error = await caught(() => checkRun(folder));
  assert.ok(error instanceof UserError);
  assert.match(error.describe(), /not a run folder: spec\.yaml is missing/);
  const { code, stderr } = await cli("check", folder);
  assert.equal(code, 2);
  assert.match(stderr, /not a run folder/);
});

Deno.test("compareMetrics: tolerance, NaN on both sides, and one-sided metrics", () => {
  const recorded = { test: { a: 1, b: NaN, c: 2 } };
  assert.deepEqual(compareMetrics(recorded, { test: { a: 1, b: NaN, c: 2 } }, 0), []);
  assert.equal(compareMetrics(recorded, { test: { a: 1 + 1e-12, b: NaN, c: 2 } }, 0).length, 1);
  assert.equal(compareMetrics(recorded, { test: { a: 1 + 1e-12, b: NaN, c: 2 } }, 1e-9).length, 0);
  const missing = compareMetrics(recorded, { test: { a: 1, b: NaN } }, 0);
  assert.deepEqual(missing.map((d) => d.metric), ["test.c"]);
});
