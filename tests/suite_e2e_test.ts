/** The study replay suite: the study's table and the sound one, from one command. */
import assert from "node:assert/strict";
import { isAbsolute, join } from "node:path";
import { checkRun } from "../runners/check/check_run.ts";
import { compareRuns, renderReport } from "../runners/compare/compare_command.ts";
import { writeRunReport } from "../runners/report/run_report.ts";
import { readRun } from "../runners/run_folder/read_run.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { runSuite } from "../runners/suite/run_suite.ts";
import { runCli } from "./helpers/cli.ts";

const root = join(import.meta.dirname!, "..");
const work = Deno.makeTempDirSync({ prefix: "suite-test-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const options = { cacheDir: join(work, "cache"), resultsDir: join(work, "results"), quiet: true };
const suiteRun = runSuite(
  join(root, "experiments", "seed.yaml"),
  [parseOverride("data.scale=tiny")],
  options,
);

Deno.test("seed.yaml writes metrics_summary.csv with the study's columns and rows, and the sound table", async () => {
  const outcome = await suiteRun;
  const faithful = Deno.readTextFileSync(join(outcome.runDir, "metrics_summary.csv")).trim().split(
    "\n",
  );
  assert.equal(faithful[0], "model,prec,recall,ndcg,rmse");
  assert.deepEqual(faithful.slice(1).map((line) => line.split(",")[0]), [
    "Top-Pop",
    "SVD++-mid",
    "BERT-mid",
  ]);
  // Recommenders fill prec/recall/ndcg and leave rmse empty; BERT the other way round.
  const [toppop, svdpp, bert] = faithful.slice(1).map((line) => line.split(","));
  assert.ok(Number(toppop[1]) > 0 && toppop[4] === "");
  assert.ok(svdpp[3] !== "" && svdpp[4] === "");
  assert.ok(bert[1] === "" && Number(bert[4]) > 0);
  // The faithful Top-Pop row is the seed-toppop run's test metrics.
  const member = outcome.members["faithful/Top-Pop"];
  assert.equal(Number(toppop[1]), Number(member.metrics.test["precision@10"].toFixed(4)));

  const sound = Deno.readTextFileSync(join(outcome.runDir, "metrics_summary_sound.csv")).trim()
    .split("\n");
  const header = sound[0].split(",");
  for (
    const column of ["test_coverage", "test_popularity_percentile", "dev_ndcg", "ndcg_p_t_wilcoxon"]
  ) {
    assert.ok(header.includes(column), column);
  }
  const svdppSound = sound.find((line) => line.startsWith("SVD++,"))!.split(",");
  assert.match(svdppSound[header.indexOf("ndcg_p_t_wilcoxon")], /^\S+ \/ \S+$/);
  // The text baseline sits beside BERT: an RMSE, no ranking metrics.
  const ridge = sound.find((line) => line.startsWith("Text-Ridge,"))!.split(",");
  assert.ok(Number(ridge[header.indexOf("test_rmse")]) > 0, ridge.join(","));
  assert.equal(ridge[header.indexOf("test_ndcg")], "");
});

Deno.test("a suite run is a real run folder: spec, metrics, checksums, relative member paths", async () => {
  const outcome = await suiteRun;
  const run = readRun(outcome.runDir, { record: true });
  assert.equal(run.spec.name, "seed");
  assert.deepEqual(run.spec.overrides, ["data.scale=tiny"]);
  assert.equal(Object.keys(run.spec.members as object).length, 7);
  // metrics.json: every member's parts, keyed <group>/<label>/<part>.
  assert.deepEqual(
    run.metrics["faithful/Top-Pop/test"],
    outcome.members["faithful/Top-Pop"].metrics.test,
  );
  const record = run.record!;
  assert.ok(record.files!["metrics_summary.csv"] && record.files!["spec.yaml"]);
  assert.ok(record.steps.some((s) => s.name === "sound/SVD++/train"));
  const runs = JSON.parse(Deno.readTextFileSync(join(outcome.runDir, "runs.json")));
  assert.equal(Object.keys(runs).length, 7);
  for (const [key, path] of Object.entries(runs as Record<string, string>)) {
    assert.ok(!isAbsolute(path), `${key}: ${path} is relative`);
    assert.ok(Deno.statSync(join(outcome.runDir, path, "metrics.json")).isFile, key);
  }
  assert.doesNotMatch(Deno.readTextFileSync(join(outcome.runDir, "run.json")), new RegExp(work));
});

Deno.test("compare, report and check accept a suite's run folder", async () => {
  const outcome = await suiteRun;
  const report = await compareRuns([outcome.runDir]);
  assert.ok(report.table.columns.some((c) => c.name === "sound/BERT/test.rmse"));
  assert.match(renderReport(report, "md"), /faithful\/Top-Pop\/test\.precision@10/);

  const html = Deno.readTextFileSync(await writeRunReport(outcome.runDir));
  assert.match(html, /faithful\/SVD\+\+-mid\/test/);

  // report.html was added after the run: not one of the recorded files, so no change.
  const checked = await checkRun(outcome.runDir, { quiet: true });
  assert.deepEqual(checked.changes, []);
  assert.deepEqual(checked.drifts, []);
  assert.ok(checked.compared > 30);
});

Deno.test("run --report on a suite writes the suite folder's report", async () => {
  const out = await runCli([
    "run",
    join(root, "experiments", "seed.yaml"),
    "--set",
    "data.scale=tiny",
    "--report",
    "-q",
    "--cache-dir",
    options.cacheDir,
    "--results-dir",
    join(work, "cli-results"),
  ]);
  const stdout = out.stdout;
  assert.equal(out.code, 0, stdout + out.stderr);
  const report = stdout.match(/^report: (.*)$/m)?.[1];
  assert.ok(report?.startsWith(join(work, "cli-results", "seed")), stdout);
  assert.match(Deno.readTextFileSync(report!), /<h1>seed/);
});
