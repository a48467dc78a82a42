/** `compare` with intervals and spreads in metrics.json, and corrected p-values. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Command } from "commander";
import { registerCompare } from "../runners/compare/compare_command.ts";
import { adjustPValues } from "../runners/compare/p_value_correction.ts";
import { UserError } from "../runners/errors.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";

const work = Deno.makeTempDirSync({ prefix: "compare-uncertainty-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

const experiment = join(work, "toppop");
const users = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const perUser = (ndcg: number[], precision: number[]) => ({
  test: {
    user_id: users,
    "ndcg@10": Float64Array.from(ndcg),
    "precision@10": Float64Array.from(precision),
  },
});
const dirs = [
  writeRun(experiment, {
    id: runId(1),
    spec: toppopSpec({ k: 10 }),
    metrics: { test: { "ndcg@10": 0.2, "precision@10": 0.05 } },
    perUser: perUser([0, 0.5, 0, 1, 0, 0.1, 0.2, 0], [0, 0.1, 0, 0.1, 0, 0, 0.1, 0]),
  }),
  writeRun(experiment, {
    id: runId(2),
    spec: toppopSpec({ k: 20 }),
    metrics: { test: { "ndcg@10": 0.3, "precision@10": 0.06 } },
    perUser: perUser([0.5, 0.6, 0.2, 1, 0.3, 0.4, 0.3, 0.1], [0.1, 0.1, 0, 0.1, 0.1, 0, 0.1, 0]),
  }),
  writeRun(experiment, {
    id: runId(3),
    spec: toppopSpec({ k: 30 }),
    metrics: { test: { "ndcg@10": 0.25, "precision@10": 0.04 } },
    perUser: perUser([0.1, 0.5, 0.1, 1, 0.2, 0.2, 0.3, 0], [0, 0.1, 0, 0.1, 0, 0, 0, 0.1]),
  }),
];
// Run 1 as metrics.json now writes it: intervals beside the parts; run 3 a k-fold mean.
const metricsOf = (dir: string) => join(dir, "metrics.json");
Deno.writeTextFileSync(
  metricsOf(dirs[0]),
  JSON.stringify({
    test: { "ndcg@10": 0.2, "precision@10": 0.05 },
    ci: { test: { "ndcg@10": [0.15, 0.25], "precision@10": [null, null] } },
  }),
);
Deno.writeTextFileSync(
  metricsOf(dirs[2]),
  JSON.stringify({
    test: { "ndcg@10": 0.25, "precision@10": 0.04 },
    test_fold1: { "ndcg@10": 0.24, "precision@10": 0.03 },
    std: { test: { "ndcg@10": 0.01 } },
  }),
);

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

Deno.test("md: intervals as [low, high], fold spreads as ±, both explained", async () => {
  const md = await compare(experiment);
  const row = (i: number) => md.split("\n").find((l) => l.startsWith(`| ${runId(i)}`))!;
  assert.match(row(1), /\| 0\.2000 \[0\.1500, 0\.2500\] \| 0\.0500 \|/, "NaN bounds: no interval");
  assert.match(row(3), /\| 0\.2500 ± 0\.0100 \|/);
  assert.match(row(2), /\| \*\*0\.3000\*\* \|/, "a run without intervals: the value alone");
  assert.match(md, /\[low, high\]: 95% bootstrap confidence interval over users/);
  assert.match(md, /±: standard deviation over folds/);
});

Deno.test("json and csv carry the bounds and spreads unrounded", async () => {
  const report = JSON.parse(await compare(experiment, "--format", "json"));
  assert.deepEqual(report.rows[0].ci, {
    "test.ndcg@10": [0.15, 0.25],
    "test.precision@10": [null, null],
  });
  assert.equal(report.rows[1].ci, undefined);
  assert.deepEqual(report.rows[2].std, { "test.ndcg@10": 0.01 });
  const [header, first, , third] = (await compare(experiment, "--format", "csv")).split("\n");
  const cells = header.split(",");
  const at = (line: string, name: string) => line.split(",")[cells.indexOf(name)];
  assert.equal(cells[cells.indexOf("test.ndcg@10") + 1], "test.ndcg@10 ci_low");
  assert.equal(at(first, "test.ndcg@10 ci_low"), "0.15");
  assert.equal(at(first, "test.ndcg@10 ci_high"), "0.25");
  assert.equal(at(third, "test.ndcg@10 std"), "0.01");
});

Deno.test("p-values: Holm by default over every (run, metric) test, said under the table", async () => {
  const raw = JSON.parse(
    await compare(experiment, "--baseline", dirs[0], "--format", "json", "--correction", "none"),
  );
  const holm = JSON.parse(await compare(experiment, "--baseline", dirs[0], "--format", "json"));
  const tests = (report: typeof raw) =>
    report.paired_tests.flatMap((p: { tests: unknown[] }) => p.tests);
  const rawT = tests(raw).map((t: { t_p_value: number }) => t.t_p_value);
  const rawW = tests(raw).map((t: { wilcoxon_p_value: number }) => t.wilcoxon_p_value);
  assert.equal(rawT.length, 4, "two runs against the baseline, two metrics each");
  assert.deepEqual(tests(raw).map((t: { t_p_adjusted: number }) => t.t_p_adjusted), rawT);
  assert.deepEqual(
    tests(holm).map((t: { t_p_adjusted: number }) => t.t_p_adjusted),
    adjustPValues(rawT, "holm"),
  );
  assert.deepEqual(
    tests(holm).map((t: { wilcoxon_p_adjusted: number }) => t.wilcoxon_p_adjusted),
    adjustPValues(rawW, "holm"),
  );
  assert.equal(holm.correction.method, "holm");
  assert.equal(holm.correction.comparisons, 4);
  assert.equal(raw.correction.method, "none");

  const md = await compare(experiment, "--baseline", dirs[0]);
  assert.match(
    md,
    /\| p \(t-test\) \| p \(Wilcoxon\) \| p holm \(t-test\) \| p holm \(Wilcoxon\) \|/,
  );
  assert.match(md, /p holm: p-values adjusted by Holm's step-down correction .* over the 4 /);
  const bh = await compare(experiment, "--baseline", dirs[0], "--correction", "bh");
  assert.match(bh, /Benjamini–Hochberg correction \(false discovery rate\) over the 4 /);
  const none = await compare(experiment, "--baseline", dirs[0], "--correction", "none");
  assert.match(none, /p-values not corrected for multiple comparisons \(--correction none/);
  assert.ok(!none.includes("p none"));
});

Deno.test("an unknown correction is a UserError naming the option", async () => {
  const error = await caught(() => compare(experiment, "--correction", "bonferroni"));
  assert.ok(error instanceof UserError);
  assert.match(
    error.describe(),
    /--correction.*unknown correction 'bonferroni'; use one of holm, bh, none/,
  );
});
