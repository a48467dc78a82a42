/**
 * The run report, from real run folders (tiny SVD++ and BERT runs copied into fixtures):
 * self-contained HTML, the charts the folder's files call for, each drawn with the marks its
 * data implies, and the tables.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "../data/data_error.ts";
import { decodeTable } from "../runners/cache/arrow_io.ts";
import { UserError } from "../runners/errors.ts";
import { writeRunReport } from "../runners/report/run_report.ts";
import { caught } from "./helpers/assert.ts";
import { assertSelfContained, copyFixture, markCounts, svgElements } from "./report_helpers.ts";

const svdpp = copyFixture("svdpp-small");
const bert = copyFixture("bert");

function figureTitles(html: string): string[] {
  return [...html.matchAll(/<figure class="chart[^"]*">\s*<h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
}

function metricsJson(dir: string): Record<string, Record<string, number>> {
  return JSON.parse(Deno.readTextFileSync(join(dir, "metrics.json")));
}

Deno.test("run report (SVD++): written into the run folder, self-contained, five charts drawn", async () => {
  const file = await writeRunReport(svdpp);
  assert.equal(file, join(svdpp, "report.html"));
  const html = Deno.readTextFileSync(file);
  assertSelfContained(html);
  assert.deepStrictEqual(figureTitles(html), [
    "Learning curves",
    "Per-user ndcg@10",
    "Per-user popularity_percentile@10",
    "Popularity of recommended items vs the catalogue",
    "Concentration of recommendations",
  ]);
  const svgs = svgElements(html);
  assert.equal(svgs.length, 5);
  const [curves, ndcg, percentile, bands, concentration] = svgs.map(markCounts);
  // 2 curves over 5 epochs: 2 lines, a dot per epoch and one ring at the best dev epoch.
  assert.deepStrictEqual(curves, { line: 2, symbol: 2 * 5 + 1 });
  // 20 bins for each of test and dev, plus a mean rule per part.
  assert.deepStrictEqual(ndcg, { rect: 40, rule: 2 });
  assert.deepStrictEqual(percentile, { rect: 40, rule: 2 });
  // 10 popularity bands x (training ratings, recommendations), the even-share rule.
  assert.deepStrictEqual(bands, { rect: 20, rule: 1 });
  assert.deepStrictEqual(concentration, { line: 3 });
});

Deno.test("run report (SVD++): metrics, steps and the popularity figures match the folder", async () => {
  const html = Deno.readTextFileSync(await writeRunReport(svdpp));
  const metrics = metricsJson(svdpp);
  for (const part of ["test", "dev"]) {
    for (const value of Object.values(metrics[part])) {
      assert.ok(html.includes(`>${value.toFixed(4)}<`), `metric value ${value} shown`);
    }
  }
  const record = JSON.parse(Deno.readTextFileSync(join(svdpp, "run.json")));
  for (const step of record.steps) assert.ok(html.includes(`<td>${step.name}</td>`), step.name);
  assert.match(html, /<span class="tag cached">cached<\/span>/);
  assert.match(html, /<span class="tag computed">computed<\/span>/);

  // The caption's top-decile shares, recomputed here from catalogue.arrow by plain sorting.
  const catalogue = decodeTable(Deno.readFileSync(join(svdpp, "catalogue.arrow")));
  const train = [...catalogue.train_count as Int32Array];
  const recommended = [...catalogue.recommended as Int32Array];
  const ranked = train.map((t, i) => ({ t, r: recommended[i], i }))
    .sort((a, b) => b.t - a.t || a.i - b.i);
  const top = ranked.slice(0, Math.ceil(train.length / 10));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const topTrain = (100 * sum(top.map((x) => x.t)) / sum(train)).toFixed(1);
  const topRecommended = (100 * sum(top.map((x) => x.r)) / sum(recommended)).toFixed(1);
  assert.ok(
    html.includes(
      `hold ${topTrain}% of the training ratings and ${topRecommended}% of the recommendations`,
    ),
    `caption with ${topTrain}% / ${topRecommended}%`,
  );
  const distinct = recommended.filter((r) => r > 0).length;
  assert.ok(html.includes(`${distinct} of ${train.length} catalogue items were recommended`));
});

Deno.test("run report (BERT): learning curves and one dot per prediction", async () => {
  const html = Deno.readTextFileSync(await writeRunReport(bert));
  assertSelfContained(html);
  assert.deepStrictEqual(figureTitles(html), ["Learning curves", "Predicted vs true score"]);
  const predictions = Deno.readTextFileSync(join(bert, "predictions.csv")).trim().split("\n");
  const epochs = Deno.readTextFileSync(join(bert, "learning_curves.csv")).trim().split("\n");
  const [curves, scatter] = svgElements(html).map(markCounts);
  assert.equal(curves.line, 2);
  assert.equal(curves.symbol, 2 * (epochs.length - 1) + 1);
  assert.deepStrictEqual(scatter, { line: 1, symbol: predictions.length - 1 });
  for (const value of Object.values(metricsJson(bert).test)) {
    assert.ok(html.includes(`>${value.toFixed(4)}<`), `metric value ${value} shown`);
  }
});

Deno.test("run report: a folder with only spec and metrics still gives a page, --out honoured", async () => {
  const dir = copyFixture("svdpp-small");
  for (const name of Deno.readDirSync(dir)) {
    if (!["spec.json", "metrics.json"].includes(name.name)) Deno.removeSync(join(dir, name.name));
  }
  const out = join(dir, "elsewhere.html");
  assert.equal(await writeRunReport(dir, out), out);
  const html = Deno.readTextFileSync(out);
  assertSelfContained(html);
  assert.equal(svgElements(html).length, 0);
  assert.match(html, /holds nothing to chart/);
  assert.match(html, /No run\.json/);
});

Deno.test("run report: a missing metrics.json or a bad learning_curves.csv is named", async () => {
  const dir = copyFixture("svdpp-small");
  Deno.removeSync(join(dir, "metrics.json"));
  const missing = await caught(() => writeRunReport(dir));
  assert.ok(missing instanceof UserError);
  assert.match(missing.describe(), /svdpp-small: not a run folder: metrics\.json is missing/);

  const broken = copyFixture("svdpp-small");
  const curves = join(broken, "learning_curves.csv");
  Deno.writeTextFileSync(
    curves,
    Deno.readTextFileSync(curves).replace(/\ntrain,3,[^,]+,/, "\ntrain,3,oops,"),
  );
  const bad = await caught(() => writeRunReport(broken));
  assert.ok(bad instanceof DataError);
  assert.equal(bad.message, `${curves}:4: train_rmse: not a number: 'oops'`);
});
