/**
 * The comparison report and the `report` command, from six real tiny SVD++ runs of a
 * factors x lr grid (spec, metrics and run record of each copied into fixtures).
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { UserError } from "../runners/errors.ts";
import { writeComparisonReport } from "../runners/report/comparison_report.ts";
import { defaultComparisonPath, registerReport } from "../runners/report/report_command.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import {
  assertSelfContained,
  copyFixture,
  copySweep,
  markCounts,
  svgElements,
} from "./report_helpers.ts";

const sweep = copySweep();
const metrics = sweep.map((dir) => JSON.parse(Deno.readTextFileSync(join(dir, "metrics.json"))));
const specs = sweep.map((dir) => JSON.parse(Deno.readTextFileSync(join(dir, "spec.json"))));

function figureTitles(html: string): string[] {
  return [...html.matchAll(/<figure class="chart[^"]*">\s*<h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
}

/** The `<table>` whose caption is `part`. */
function partTable(html: string, part: string): string {
  const match = html.match(new RegExp(`<caption>${part}</caption>[\\s\\S]*?</table>`));
  assert.ok(match, `a ${part} table`);
  return match[0];
}

/** The full sweep's comparison, rendered once for the tests that read it. */
const sweepReport = writeComparisonReport(sweep, join(dirname(sweep[0]), "comparison.html"))
  .then((file) => Deno.readTextFileSync(file));

Deno.test("comparison: the swept fields found, one chart per field, runs' curves overlaid", async () => {
  const html = await sweepReport;
  assertSelfContained(html);
  assert.match(html, /<dt>differing parameters<\/dt><dd>model\.factors, model\.lr<\/dd>/);
  assert.deepStrictEqual(figureTitles(html), [
    "Metrics against model.factors",
    "Metrics against model.lr",
    "Learning curves",
  ]);
  const svgs = svgElements(html);
  assert.equal(svgs.length, 3);
  const metricNames = new Set(["test", "dev"].flatMap((p) => Object.keys(metrics[0][p])));
  const [factors, lr, curves] = svgs.map(markCounts);
  // Per metric panel and part: one line per value of the other field (2 lr values, 3 factors).
  assert.equal(factors.line, metricNames.size * 2 * 2);
  assert.equal(lr.line, metricNames.size * 3 * 2);
  // A dot per run, metric and part.
  assert.equal(factors.symbol, metricNames.size * sweep.length * 2);
  // The curves panel: one line per run and curve (train_rmse, dev_rmse), for the runs whose
  // run.json kept the curves (a run that found its train step cached has none).
  const withCurves =
    sweep.filter((dir) =>
      JSON.parse(Deno.readTextFileSync(join(dir, "run.json"))).steps.some((s: {
        meta?: { curves?: unknown };
      }) => s.meta?.curves)
    ).length;
  assert.equal(withCurves, sweep.length - 1, "the fixture has one run without curves");
  assert.equal(curves.line, withCurves * 2);
  assert.match(html, /1 run\(s\) recorded no curves/);
  for (const spec of specs) {
    assert.ok(html.includes(`factors=${spec.model.factors}, lr=${spec.model.lr}`));
  }
});

Deno.test("comparison: best value per metric in bold, max for accuracy, min for error", async () => {
  const html = await sweepReport;
  for (const part of ["test", "dev"]) {
    const table = partTable(html, part);
    const bold = [...table.matchAll(/<strong class="best">([^<]*)<\/strong>/g)].map((m) => m[1]);
    const best = (name: string, pick: (...v: number[]) => number) =>
      pick(...metrics.map((m) => m[part][name])).toFixed(4);
    assert.ok(bold.includes(best("ndcg@10", Math.max)), `${part} best ndcg`);
    assert.ok(bold.includes(best("rmse", Math.min)), `${part} best rmse`);
    assert.ok(!bold.includes(best("popularity_percentile@10", Math.max)), "not ranked");
  }
});

Deno.test("comparison: sweptParams restricts the charts; an unknown field is named", async () => {
  const out = join(dirname(sweep[0]), "factors.html");
  await writeComparisonReport(sweep, out, { sweptParams: ["model.factors"] });
  const html = Deno.readTextFileSync(out);
  assert.deepStrictEqual(figureTitles(html), ["Metrics against model.factors", "Learning curves"]);
  const error = await caught(() =>
    writeComparisonReport(sweep, out, { sweptParams: ["model.factor"] })
  );
  assert.ok(error instanceof UserError);
  assert.match(
    error.describe(),
    /model\.factor: no run's spec has the field 'model\.factor' \(did you mean "model\.factors"\?\)/,
  );
});

Deno.test("comparison across models: the model type plotted first, other models' fields listed", async () => {
  const root = tempDir("report-mixed-");
  const dirs = [copyFixture("svdpp-small", root), copyFixture("bert", root)];
  const out = join(root, "mixed.html");
  const html = Deno.readTextFileSync(await writeComparisonReport(dirs, out));
  assertSelfContained(html);
  const titles = figureTitles(html);
  assert.equal(titles[0], "Metrics against model.type");
  // model.factors is SVD++'s alone: listed among the differing fields, not plotted.
  assert.ok(!titles.includes("Metrics against model.factors"));
  assert.match(html, /model\.factors/);
  assert.ok(html.includes("<td>svdpp-small</td>") && html.includes("<td>bert</td>"));
});

Deno.test("report command: one folder -> its report.html; several -> a comparison", async () => {
  const program = () => {
    const command = new Command("recsys").exitOverride();
    registerReport(command);
    return command;
  };
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => logged.push(args.join(" "));
  try {
    await program().parseAsync(["report", sweep[0]], { from: "user" });
    assert.ok(Deno.statSync(join(sweep[0], "report.html")).isFile);
    await program().parseAsync(["report", ...sweep.slice(0, 3), "--params", "model.lr"], {
      from: "user",
    });
    const defaultOut = defaultComparisonPath(sweep.slice(0, 3));
    assert.equal(dirname(defaultOut), dirname(sweep[0]));
    assert.match(defaultOut, /comparison-3runs-[0-9a-f]{8}\.html$/);
    assert.deepStrictEqual(figureTitles(Deno.readTextFileSync(defaultOut)), [
      "Metrics against model.lr",
      "Learning curves",
    ]);
    const out = join(dirname(sweep[0]), "chosen.html");
    await program().parseAsync(["report", sweep[0], sweep[1], "--out", out], { from: "user" });
    assert.ok(Deno.statSync(out).isFile);
    assert.deepStrictEqual(logged, [
      `report: ${join(sweep[0], "report.html")}`,
      `report: ${defaultOut}`,
      `report: ${out}`,
    ]);
  } finally {
    console.log = log;
  }
});

Deno.test("defaultComparisonPath: the deepest folder holding all runs, stable per set", () => {
  assert.equal(
    defaultComparisonPath(["/r/svdpp/a", "/r/svdpp/b/"]),
    defaultComparisonPath(["/r/svdpp/b", "/r/svdpp/a"]),
  );
  assert.match(defaultComparisonPath(["/r/svdpp/a", "/r/toppop/b"]), /^\/r\/comparison-2runs-/);
  assert.notEqual(
    defaultComparisonPath(["/r/x/a", "/r/x/b"]),
    defaultComparisonPath(["/r/x/a", "/r/x/c"]),
  );
});
