/**
 * `check`: a recorded run re-executes to the same metrics; drift, files edited after the
 * run (checksums in run.json) and an edited spec fail, each said plainly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkRun, compareMetrics } from "../runners/check/check_run.ts";
import { folderChanges } from "../runners/check/folder_changes.ts";
import { UserError } from "../runners/errors.ts";
import { sha256 } from "../runners/fingerprint.ts";
import { readRun } from "../runners/run_folder/read_run.ts";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";
import { runCli } from "./helpers/cli.ts";

const root = join(import.meta.dirname!, "..");

/** A tiny SVD++ run in a scratch folder (removed by `cleanup`). */
async function recordTinyRun(...overrides: string[]) {
  const scratch = Deno.makeTempDirSync({ prefix: "check-test-" });
  const { spec } = await loadSpec(join(root, "experiments", "ci-reference.yaml"), [
    parseOverride("model.epochs=2"),
    ...overrides.map(parseOverride),
  ]);
  const outcome = await runExperiment(spec, {
    cacheDir: join(scratch, "cache"),
    resultsDir: join(scratch, "results"),
    quiet: true,
  });
  return { runDir: outcome.runDir, cleanup: () => Deno.removeSync(scratch, { recursive: true }) };
}

const cli = (...args: string[]) => runCli(args);

/** Rewrites a file of the run and records its new checksum, as a run with other code would. */
function rerecord(runDir: string, file: string, content: string): void {
  Deno.writeTextFileSync(join(runDir, file), content);
  const record = JSON.parse(Deno.readTextFileSync(join(runDir, "run.json")));
  record.files[file] = sha256(content);
  Deno.writeTextFileSync(join(runDir, "run.json"), JSON.stringify(record, null, 2));
}

Deno.test("a recorded SVD++ run reproduces exactly; drifted metrics fail with a table", async () => {
  const { runDir, cleanup } = await recordTinyRun();
  try {
    const clean = await checkRun(runDir, { quiet: true });
    assert.deepEqual(clean.changes, []);
    assert.deepEqual(clean.drifts, []);
    assert.ok(clean.compared > 10);

    const metrics = JSON.parse(Deno.readTextFileSync(join(runDir, "metrics.json")));
    metrics.test["ndcg@10"] += 1e-6;
    rerecord(runDir, "metrics.json", JSON.stringify(metrics));
    const { code, stdout } = await cli("check", runDir, "-q");
    assert.equal(code, 1);
    assert.match(stdout, /DRIFT .*: 1 of \d+ metrics differ/);
    assert.match(stdout, /test\.ndcg@10/);
    assert.doesNotMatch(stdout, /CHANGED/);
    // Within a stated tolerance the same run passes.
    const tolerant = await cli("check", runDir, "-q", "--tolerance", "1e-5");
    assert.equal(tolerant.code, 0, tolerant.stdout + tolerant.stderr);
  } finally {
    cleanup();
  }
});

Deno.test("run.json holds a sha256 of every other file; an edited recommendations.csv fails check", async () => {
  const { runDir, cleanup } = await recordTinyRun();
  try {
    const files = [...Deno.readDirSync(runDir)].map((e) => e.name).filter((n) => n !== "run.json");
    const record = readRun(runDir, { record: true }).record!;
    assert.deepEqual(Object.keys(record.files!).sort(), files.sort());
    for (const file of files) {
      assert.equal(record.files![file], sha256(Deno.readFileSync(join(runDir, file))), file);
    }

    const csv = join(runDir, "recommendations.csv");
    const lines = Deno.readTextFileSync(csv).split("\n");
    lines[1] = lines[1].replace(/\[(\d+)/, "[999999");
    Deno.writeTextFileSync(csv, lines.join("\n"));
    Deno.removeSync(join(runDir, "per_user_dev.arrow"));
    const { code, stdout } = await cli("check", runDir, "-q");
    assert.equal(code, 1, stdout);
    assert.match(stdout, /CHANGED .*: the folder is not what the run wrote/);
    assert.match(stdout, /recommendations\.csv was edited after the run/);
    assert.match(stdout, /per_user_dev\.arrow is missing/);
    // The metrics themselves still reproduce: said so, not reported as drift.
    assert.match(stdout, /\d+ metrics reproduced exactly/);
  } finally {
    cleanup();
  }
});

Deno.test("check says plainly when spec.yaml was edited after the run", async () => {
  const { runDir, cleanup } = await recordTinyRun();
  try {
    const file = join(runDir, "spec.yaml");
    const original = Deno.readTextFileSync(file);
    Deno.writeTextFileSync(file, original.replace("factors: 8", "factors: 16"));
    const { code, stdout } = await cli("check", runDir, "-q");
    assert.equal(code, 1, stdout);
    assert.match(
      stdout,
      /spec\.yaml was edited after the run: it no longer matches the recorded spec fingerprint/,
    );
    // A comment changes the file but not the spec: still an edit, said differently.
    Deno.writeTextFileSync(file, `# my notes\n${original}`);
    const run = readRun(runDir, { record: true });
    assert.deepEqual(folderChanges(runDir, run.record!, run.spec), [
      "spec.yaml was edited after the run (the same spec, written differently)",
    ]);
    // spec.json, which check re-runs, is held to the fingerprint too.
    Deno.writeTextFileSync(file, original);
    const spec = { ...run.spec, seed: 7 };
    Deno.writeTextFileSync(join(runDir, "spec.json"), JSON.stringify(spec));
    assert.match(
      folderChanges(runDir, run.record!, spec).join("\n"),
      /spec\.json was edited after the run: it no longer matches the recorded spec fingerprint/,
    );
  } finally {
    cleanup();
  }
});

Deno.test("a run with NaN metrics (split.dev=0: no dev rows) checks clean", async () => {
  const { runDir, cleanup } = await recordTinyRun("split.dev=0");
  try {
    const metrics = JSON.parse(Deno.readTextFileSync(join(runDir, "metrics.json")));
    assert.ok(Object.values(metrics.dev).includes(null), "metrics.json writes NaN as null");
    const { code, stdout } = await cli("check", runDir, "-q");
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^ok .* metrics reproduced exactly/m);
  } finally {
    cleanup();
  }
});

Deno.test("check on a folder that is not a run exits 2", async () => {
  const folder = Deno.makeTempDirSync();
  try {
    const error = await caught(() => checkRun(folder));
    assert.ok(error instanceof UserError);
    assert.match(error.describe(), /not a run folder: spec\.json is missing/);
    const { code, stderr } = await cli("check", folder);
    assert.equal(code, 2);
    assert.match(stderr, /not a run folder/);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("compareMetrics: tolerance, NaN or null on both sides, and one-sided metrics", () => {
  const recorded = { test: { a: 1, b: NaN, c: 2, d: null as unknown as number } };
  assert.deepEqual(compareMetrics(recorded, { test: { a: 1, b: NaN, c: 2, d: NaN } }, 0), []);
  assert.equal(
    compareMetrics(recorded, { test: { a: 1 + 1e-12, b: NaN, c: 2, d: NaN } }, 0).length,
    1,
  );
  assert.equal(
    compareMetrics(recorded, { test: { a: 1 + 1e-12, b: NaN, c: 2, d: NaN } }, 1e-9).length,
    0,
  );
  const missing = compareMetrics(recorded, { test: { a: 1, b: NaN, d: NaN } }, 0);
  assert.deepEqual(missing.map((d) => d.metric), ["test.c"]);
  // A value against NaN is a drift, whichever side holds it.
  assert.deepEqual(
    compareMetrics(recorded, { test: { a: 1, b: 0.5, c: 2, d: NaN } }, 0).map((d) => d.metric),
    ["test.b"],
  );
});

Deno.test("CI's committed reference run verifies: its files match run.json's checksums", () => {
  const reference = join(root, "tests", "fixtures", "ci-reference");
  const runs = [...Deno.readDirSync(reference)].filter((e) => e.isDirectory);
  assert.equal(runs.length, 1, "one reference run");
  const runDir = join(reference, runs[0].name);
  const run = readRun(runDir, { record: true });
  assert.ok(run.record?.files, "run.json records checksums");
  assert.deepEqual(folderChanges(runDir, run.record!, run.spec), []);
});

Deno.test("CI checks its own reference, apart from results/, which git leaves to users", async () => {
  const ci = Deno.readTextFileSync(join(root, ".ci", "run"));
  assert.match(ci, /deno task check tests\/fixtures\/ci-reference\/\*\//);
  assert.doesNotMatch(ci, /check results\//);
  // A run of the shipped spec lands in results/ci-reference/: untracked, like any user run.
  const ignored = await new Deno.Command("git", {
    args: ["check-ignore", "-q", "results/ci-reference/20261129T090440Z-f59af8/metrics.json"],
    cwd: root,
  }).output();
  assert.equal(ignored.code, 0, "results/ci-reference/ is ignored by git");
});
