/** `compare` as a command: formats, --out, paired tests, and on real run folders. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Command } from "commander";
import { registerCompare } from "../runners/compare/compare_command.ts";
import { csvText } from "../runners/compare/render_text.ts";
import { UserError } from "../runners/errors.ts";
import { runExperiment } from "../runners/run.ts";
import { loadSpec, validateSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";

const root = join(import.meta.dirname!, "..");
const work = Deno.makeTempDirSync({ prefix: "compare-command-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

// Three runs of a k sweep; per-user ndcg for users 1..6 (the k=20 run misses user 6).
const experiment = join(work, "toppop");
const users = Int32Array.from([1, 2, 3, 4, 5, 6]);
const perUser = (ndcg: number[]) => ({
  test: { user_id: users, "ndcg@10": Float64Array.from(ndcg) },
});
const dirs = [
  writeRun(experiment, {
    id: runId(1),
    spec: toppopSpec({ k: 10 }),
    metrics: { test: { "ndcg@10": 0.2, "popularity_percentile@10": 95 } },
    perUser: perUser([0, 0.5, 0, 1, 0, 0.1]),
  }),
  writeRun(experiment, {
    id: runId(2),
    spec: toppopSpec({ k: 20, candidates: "test_items" }),
    metrics: { test: { "ndcg@10": 0.3, "popularity_percentile@10": 97 } },
    perUser: perUser([0.5, 0.5, 0.2, 1, 0.3, NaN]),
  }),
  writeRun(experiment, {
    id: runId(3),
    spec: toppopSpec({ k: 30 }),
    metrics: { test: { "ndcg@10": 0.25, "popularity_percentile@10": 96 } },
    perUser: perUser([0.1, 0.5, 0.1, 1, 0.2, 0.2]),
  }),
];

async function compare(...args: string[]): Promise<string> {
  let printed = "";
  const program = new Command("recsys").exitOverride();
  registerCompare(program, (text) => {
    printed += text;
    return Promise.resolve();
  });
  await program.parseAsync(["compare", ...args], { from: "user" });
  return printed;
}

Deno.test("md (default): differing fields, metrics, best in bold, the legend", async () => {
  const lines = (await compare(experiment)).split("\n");
  assert.equal(
    lines[0],
    "| run | model.k | model.candidates | test.ndcg@10 | test.popularity_percentile@10 |",
  );
  assert.equal(lines[2], `| ${runId(1)} | 10 | all | 0.2000 | **95** |`);
  assert.equal(lines[3], `| ${runId(2)} | 20 | test_items | **0.3000** | 97 |`);
  assert.equal(lines[5], "");
  assert.match(lines[6], /^3 runs; spec fields equal in all of them are not shown/);
  assert.ok(!lines.join("\n").includes("Paired tests"), "three runs, no baseline: no tests");
});

Deno.test("--sort --desc and --where", async () => {
  const out = await compare(
    experiment,
    "--sort",
    "test.ndcg@10",
    "--desc",
    "--where",
    "test.ndcg@10>=0.25",
  );
  const rows = out.split("\n").filter((l) => l.startsWith("| 2026"));
  assert.deepEqual(rows.map((r) => r.slice(2, 25)), [runId(2), runId(3)]);
});

Deno.test("two runs: the second is tested against the first, on users both scored", async () => {
  const report = JSON.parse(await compare(dirs[0], dirs[1], "--format", "json"));
  assert.equal(report.paired_tests.length, 1);
  const paired = report.paired_tests[0];
  assert.equal(paired.baseline, runId(1));
  assert.equal(paired.run, runId(2));
  const [ndcg] = paired.tests;
  // Users 1..5 (user 6 is NaN in run 2); differences 0.5, 0, 0.2, 0, 0.3.
  assert.equal(ndcg.pairs, 5);
  assert.ok(Math.abs(ndcg.mean_difference - 0.2) < 1e-12);
  assert.ok(ndcg.t_p_value > 0 && ndcg.t_p_value < 1);
  assert.equal(ndcg.wilcoxon_statistic, 6, "ranks 3 + 1 + 2 of the three positive differences");
});

Deno.test("--baseline: every other run against it, shown under the table", async () => {
  const md = await compare(experiment, "--baseline", dirs[2]);
  assert.match(md, new RegExp(`Paired tests on test: ${runId(1)} vs baseline ${runId(3)}`));
  assert.match(md, new RegExp(`Paired tests on test: ${runId(2)} vs baseline ${runId(3)}`));
  assert.match(md, /\| ndcg@10 \| 6 \| /);
});

Deno.test("json: columns with direction and best, rows keyed by column", async () => {
  const report = JSON.parse(await compare(experiment, "--format", "json"));
  const ndcg = report.columns.find((c: { name: string }) => c.name === "test.ndcg@10");
  assert.deepEqual(ndcg, { name: "test.ndcg@10", kind: "metric", better: "higher", best: 0.3 });
  assert.equal(report.rows[1]["model.candidates"], "test_items");
  assert.equal(report.rows[1].dir, dirs[1]);
  assert.equal(report.runs_read, 3);
});

Deno.test("csv: one table, values unrounded, fields quoted where needed", async () => {
  const csv = await compare(experiment, "--format", "csv", "--filter", "model.k!=30");
  assert.deepEqual(csv.trimEnd().split("\n"), [
    "run,model.k,model.candidates,test.ndcg@10,test.popularity_percentile@10",
    `${runId(1)},10,all,0.2,95`,
    `${runId(2)},20,test_items,0.3,97`,
  ]);
});

Deno.test("csv: formula-like text is neutralised (folder names, spec fields); numbers stay numbers", async () => {
  const hostile = join(work, "hostile");
  const attack = "=cmd|' /C calc'!A0";
  const metrics = (ndcg: number) => ({ test: { "ndcg@10": ndcg, r2: -0.5 } });
  writeRun(hostile, {
    id: runId(1),
    spec: { ...toppopSpec({ lr: -0.01 }), data: { ...toppopSpec().data, dir: attack } },
    metrics: metrics(0.1),
  });
  writeRun(hostile, {
    id: runId(2),
    spec: { ...toppopSpec({ lr: 0.01 }), data: { ...toppopSpec().data, dir: "@SUM(A1)" } },
    metrics: metrics(-0.2),
  });
  // A run folder may carry any name: compare takes it as given.
  const renamed = join(hostile, "+HYPERLINK(x)");
  Deno.renameSync(join(hostile, runId(2)), renamed);
  const csv = await compare(join(hostile, runId(1)), renamed, "--format", "csv");
  assert.deepEqual(csv.trimEnd().split("\n"), [
    "run,data.dir,model.lr,test.ndcg@10,test.r2",
    `${runId(1)},"'=cmd|' /C calc'!A0",-0.01,0.1,-0.5`,
    `"'+HYPERLINK(x)","'@SUM(A1)",0.01,-0.2,-0.5`,
  ]);
  for (const cell of ["-1 dash", "\tTAB", "\rCR"]) assert.equal(csvText(cell), `"'${cell}"`);
  assert.equal(csvText("plain, with comma"), '"plain, with comma"');
});

Deno.test("html with --out: a self-contained page with the table and best cells", async () => {
  const file = join(work, "compare.html");
  assert.equal(await compare(experiment, "--format", "html", "--out", file), "");
  const html = Deno.readTextFileSync(file);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<th>test\.ndcg@10<\/th>/);
  assert.match(html, /<td class="num best">0\.3000<\/td>/);
  assert.ok(!/<script|<link|src=|https?:/.test(html), "no external resources");
});

Deno.test("bad options and mixed experiments are UserErrors", async () => {
  const other = join(work, "svdpp");
  const svdpp = writeRun(other, { id: runId(9), spec: toppopSpec({}, "svdpp"), metrics: {} });
  const cases: Array<[string[], RegExp]> = [
    [[experiment, "--format", "xlsx"], /unknown format 'xlsx'/],
    [[experiment, svdpp], /different experiments: toppop \(3 runs\), svdpp \(1 run\)/],
    [[experiment, "--baseline", experiment], /--baseline: expected one run folder/],
    [[experiment, "--baseline", dirs[0], "--part", "dev"], /per_user_dev\.arrow/],
  ];
  for (const [args, pattern] of cases) {
    const error = await caught(() => compare(...args));
    assert.ok(error instanceof UserError, `${args.join(" ")}: ${error}`);
    assert.match(error.describe(), pattern);
  }
  assert.match(await compare(experiment, svdpp, "--allow-mixed"), /\| run \| name \|/);
});

Deno.test("runs on different data carry a note saying their metrics are not comparable", async () => {
  const mixed = join(work, "mixed-data");
  const metrics = { test: { "ndcg@10": 0.1 } };
  writeRun(mixed, { id: runId(1), spec: toppopSpec(), metrics });
  const other = { ...toppopSpec(), data: { ...toppopSpec().data, scale: "default" } };
  writeRun(mixed, { id: runId(2), spec: other, metrics });
  const md = await compare(mixed);
  assert.match(md, /differ in their data or split \(data\.scale\)/);
  assert.match(md, /No paired tests: .*per_user_test\.arrow: no per-user metric values/);
  assert.ok(!(await compare(experiment)).includes("differ in their data"));
});

Deno.test("on real run folders: two Top-Pop runs on the tiny dataset", async () => {
  const tiny = async (...overrides: string[]) =>
    (await loadSpec(join(root, "experiments", "toppop.yaml"), [
      parseOverride("data.scale=tiny"),
      ...overrides.map(parseOverride),
    ])).spec;
  const options = { cacheDir: join(work, "cache"), resultsDir: join(work, "results"), quiet: true };
  const kept = await runExperiment(await tiny(), options);
  const study = await runExperiment(await tiny("model.exclude_seen=false"), options);
  const report = JSON.parse(await compare(join(work, "results", "toppop"), "--format", "json"));
  assert.deepEqual(
    report.rows.map((r: { run: string }) => r.run).sort(),
    [kept.runId, study.runId].sort(),
  );
  assert.deepEqual(report.columns.map((c: { name: string }) => c.name).slice(0, 3), [
    "run",
    "model.exclude_seen",
    "test.precision@10",
  ]);
  const [test] = report.paired_tests;
  const ndcg = test.tests.find((t: { metric: string }) => t.metric === "ndcg@10");
  // The per-user means are the runs' metrics.json values (same users, same definition).
  const first = report.rows[0]["test.ndcg@10"], second = report.rows[1]["test.ndcg@10"];
  assert.ok(Math.abs(ndcg.baseline_mean - first) < 1e-12);
  assert.ok(Math.abs(ndcg.run_mean - second) < 1e-12);
});

Deno.test("k-fold runs: per-user values found per fold and pooled for the part", async () => {
  const kfold = async (...overrides: string[]) => {
    const { spec } = await loadSpec(
      join(root, "experiments", "toppop.yaml"),
      ["data.scale=tiny", ...overrides].map(parseOverride),
    );
    const evaluate = { ...spec.evaluate, on: ["test" as const] };
    return validateSpec({ ...spec, split: { method: "kfold", folds: 3 }, evaluate });
  };
  const resultsDir = join(work, "kfold-results");
  const options = { cacheDir: join(work, "cache"), resultsDir, quiet: true };
  const kept = await runExperiment(await kfold(), options);
  await runExperiment(await kfold("model.exclude_seen=false"), options);
  // metrics.json and the per-user files name the parts alike.
  const files = [...Deno.readDirSync(kept.runDir)].map((e) => e.name)
    .filter((name) => name.startsWith("per_user_"));
  assert.deepEqual(files.sort(), [
    "per_user_test_fold1.arrow",
    "per_user_test_fold2.arrow",
    "per_user_test_fold3.arrow",
  ]);
  assert.ok("test" in kept.metrics && "test_fold2" in kept.metrics);
  const ndcgOf = (report: { paired_tests: Array<{ tests: Array<{ metric: string }> }> }) =>
    report.paired_tests[0].tests.find((t) => t.metric === "ndcg@10") as unknown as {
      pairs: number;
      baseline_mean: number;
    };
  // Two k-fold runs: paired tests on the part (folds pooled, users paired within a fold)...
  const pooled = JSON.parse(await compare(join(resultsDir, "toppop"), "--format", "json"));
  assert.ok(ndcgOf(pooled).pairs > 0, "per-user values found for test");
  // ...or on one fold, whose per-user mean is that fold's metric.
  const fold = JSON.parse(
    await compare(join(resultsDir, "toppop"), "--format", "json", "--part", "test_fold2"),
  );
  assert.ok(Math.abs(ndcgOf(fold).baseline_mean - fold.rows[0]["test_fold2.ndcg@10"]) < 1e-12);
});
