import { join } from "node:path";
import { formatMetricCell, type Metrics } from "../results.ts";
import type { Uncertainty } from "../run_folder/metrics_file.ts";
import {
  concentrationCurve,
  evenSample,
  histogram,
  metricRange,
  popularityBands,
} from "./chart_data.ts";
import {
  concentrationChart,
  learningCurvesChart,
  perUserHistogramChart,
  popularityBandsChart,
  predictionsScatterChart,
} from "./charts.ts";
import {
  details,
  escapeHtml,
  facts,
  figure,
  htmlTable,
  page,
  paragraph,
  preformatted,
  section,
} from "./html.ts";
import { lambdaPathChart, lambdaPathOf } from "./lambda_path_chart.ts";
import { renderSvg } from "./render_svg.ts";
import { partOrder } from "../run_folder/part_key.ts";
import { readRunReportData, type RunReportData } from "./run_report_data.ts";

/** Per-user metrics drawn as histograms, in order of preference; the first two found are. */
const PER_USER_PREFERENCE = ["ndcg", "popularity_percentile", "recall", "mrr", "novelty"];
const HISTOGRAM_BINS = 20;
/** A scatter with more dots says nothing more and only makes the page heavy. */
const MAX_SCATTER_POINTS = 3000;

/** Writes `<run folder>/report.html` (or `outFile`) and returns its path. */
export async function writeRunReport(runDir: string, outFile?: string): Promise<string> {
  const html = await runReportHtml(readRunReportData(runDir));
  const target = outFile ?? join(runDir, "report.html");
  await Deno.writeTextFile(target, html);
  return target;
}

export async function runReportHtml(run: RunReportData): Promise<string> {
  const experiment = String(run.spec.name ?? run.record?.experiment ?? "run");
  const runId = run.record?.run_id ?? run.id;
  return page(`${experiment} — ${runId}`, await runReportBody(run));
}

/** The report's sections without the page around them (the results browser adds its own). */
export async function runReportBody(run: RunReportData): Promise<string> {
  const experiment = String(run.spec.name ?? run.record?.experiment ?? "run");
  const runId = run.record?.run_id ?? run.id;
  const body = [
    header(run, experiment, runId),
    section("Metrics", metricsTable(run.metrics, run.uncertainty), "metrics"),
    section("Charts", `<div class="charts">\n${(await charts(run)).join("\n")}\n</div>`, "charts"),
    section("Steps", stepsTable(run), "steps"),
    section("Spec", specSection(run), "spec"),
    section("Environment", environment(run), "environment"),
  ];
  return body.join("\n");
}

/** spec.yaml as written for people; the resolved spec.json if a folder lacks it. */
function specSection(run: RunReportData): string {
  return run.specText === undefined
    ? details("spec.json (resolved)", preformatted(JSON.stringify(run.spec, null, 2)), false)
    : details("spec.yaml (resolved)", preformatted(run.specText), false);
}

function header(run: RunReportData, experiment: string, runId: string): string {
  const spec = run.spec as Record<string, Record<string, unknown> | undefined>;
  const data = spec.data ?? {};
  const pairs: Array<[string, string]> = [];
  if (spec.model?.type !== undefined) pairs.push(["model", String(spec.model.type)]);
  const dataset = data.dir ?? data.path ?? (data.scale ? `embedded, ${data.scale}` : undefined);
  if (data.source !== undefined) {
    pairs.push(["data", `${data.source}${dataset ? ` (${dataset})` : ""}`]);
  }
  if (spec.split?.method !== undefined) pairs.push(["split", String(spec.split.method)]);
  if (run.spec.seed !== undefined) pairs.push(["seed", String(run.spec.seed)]);
  const record = run.record;
  if (record) {
    pairs.push(["started", record.started.replace("T", " ").replace(/\.\d+Z$/, " UTC")]);
    pairs.push(["duration", `${record.seconds.toFixed(2)} s`]);
    const cached = record.steps.filter((s) => s.cached).length;
    pairs.push(["steps cached", `${cached} of ${record.steps.length}`]);
    if (record.peak_rss_mb !== null) pairs.push(["peak memory", `${record.peak_rss_mb} MiB`]);
  }
  const description = typeof run.spec.description === "string" && run.spec.description
    ? `<p class="lead">${escapeHtml(run.spec.description)}</p>`
    : "";
  return [
    `<header><h1>${escapeHtml(experiment)}<small>${escapeHtml(runId)}</small></h1>`,
    description,
    facts(pairs),
    "</header>",
  ].join("\n");
}

export function metricsTable(metrics: Metrics, uncertainty?: Uncertainty): string {
  const parts = Object.keys(metrics);
  const names = [...new Set(parts.flatMap((p) => Object.keys(metrics[p])))];
  if (names.length === 0) return paragraph("metrics.json holds no metrics.");
  const table = htmlTable(
    ["metric", ...parts],
    names.map((name) => [
      name,
      ...parts.map((p) =>
        formatMetricCell(
          metrics[p][name],
          uncertainty?.ci[p]?.[name],
          uncertainty?.std[p]?.[name],
        )
      ),
    ]),
    { numeric: parts.map((_, i) => i + 1), className: "compact" },
  );
  const notes = [
    ...(Object.keys(uncertainty?.ci ?? {}).length
      ? [
        "[low, high]: 95% bootstrap confidence interval (ranking metrics over users, " +
        "rating metrics over the users of held-out rows)",
      ]
      : []),
    ...(Object.keys(uncertainty?.std ?? {}).length ? ["± standard deviation over folds"] : []),
  ];
  return notes.length ? table + paragraph(`${notes.join("; ")}.`) : table;
}

async function charts(run: RunReportData): Promise<string[]> {
  const out: string[] = [];
  if (run.curves && run.curves.epoch.length > 0) {
    out.push(figure(
      "Learning curves",
      await renderSvg(learningCurvesChart(run.curves)),
      "Error per epoch on the training ratings and on the dev part; the circle marks the " +
        "epoch with the lowest dev error.",
    ));
  }
  const lambdaPath = lambdaPathOf(run.record);
  if (lambdaPath) {
    out.push(figure(
      "Ridge penalty path",
      await renderSvg(lambdaPathChart(lambdaPath)),
      "RMSE on the training items and on dev for each λ tried; the circle marks the λ kept " +
        "(lowest dev RMSE). Too small a λ fits the training synopses' noise, too large one " +
        "shrinks every word to the mean.",
    ));
  }
  out.push(...await perUserFigures(run));
  if (run.catalogue) out.push(...await popularityFigures(run));
  if (run.predictions && run.predictions.score.length > 0) {
    const { score, predicted } = run.predictions;
    const picked = evenSample(score.length, MAX_SCATTER_POINTS);
    const shown = picked.length < score.length
      ? ` (${picked.length} of ${score.length} items shown, evenly spaced)`
      : "";
    out.push(figure(
      "Predicted vs true score",
      await renderSvg(predictionsScatterChart(score, predicted, picked)),
      `One dot per held-out item${shown}; dots on the dashed line are predicted exactly.`,
    ));
  }
  if (out.length === 0) out.push(paragraph("This run folder holds nothing to chart."));
  return out;
}

async function perUserFigures(run: RunReportData): Promise<string[]> {
  const parts = Object.keys(run.perUser).sort(partOrder).slice(0, 2);
  if (parts.length === 0) return [];
  const columns = [...run.perUser[parts[0]].metrics.keys()];
  const chosen: string[] = [];
  for (const prefix of PER_USER_PREFERENCE) {
    const column = columns.find((c) => c === prefix || c.startsWith(`${prefix}@`));
    if (column && chosen.length < 2) chosen.push(column);
  }
  if (chosen.length === 0 && columns.length > 0) chosen.push(columns[0]);
  const out: string[] = [];
  for (const metric of chosen) {
    const present = parts.filter((p) => run.perUser[p].metrics.has(metric));
    const values = present.map((p) => run.perUser[p].metrics.get(metric)!);
    const [lo, hi] = metricRange(values);
    const histograms = present.map((part, i) => {
      // metrics.json's mean where recorded (a null there reads as NaN), else recomputed.
      const recorded = run.metrics[part]?.[metric] ?? NaN;
      return {
        part,
        histogram: histogram(values[i], lo, hi, HISTOGRAM_BINS),
        mean: Number.isNaN(recorded) ? mean(values[i]) : recorded,
      };
    });
    const users = histograms.map(({ part, histogram: h }) => {
      const evaluated = h.counts.reduce((a, b) => a + b, 0);
      return `${part}: ${evaluated} users${h.missing ? ` (${h.missing} not evaluated)` : ""}`;
    });
    out.push(figure(
      `Per-user ${metric}`,
      await renderSvg(perUserHistogramChart(metric, histograms)),
      `How ${metric} spreads over users; the dashed line is the mean. ${users.join("; ")}.`,
    ));
  }
  return out;
}

async function popularityFigures(run: RunReportData): Promise<string[]> {
  const catalogue = run.catalogue!;
  const trainCount = catalogue.train_count as ArrayLike<number> | undefined;
  const recommended = catalogue.recommended as ArrayLike<number> | undefined;
  if (!trainCount || !recommended || trainCount.length === 0) return [];
  const bands = popularityBands(trainCount, recommended, 10);
  const curve = concentrationCurve(trainCount, recommended);
  let slots = 0;
  let distinct = 0;
  for (let i = 0; i < recommended.length; i++) {
    slots += recommended[i];
    if (recommended[i] > 0) distinct++;
  }
  if (slots === 0) return [];
  const top = bands.recommendedShare[0].toFixed(1);
  const topTrain = bands.trainShare[0].toFixed(1);
  return [
    figure(
      "Popularity of recommended items vs the catalogue",
      await renderSvg(popularityBandsChart(bands)),
      `The 10% most-rated items hold ${topTrain}% of the training ratings and ${top}% of the ` +
        `recommendations. The dashed line is what each band would get if every item were ` +
        `recommended equally.`,
    ),
    figure(
      "Concentration of recommendations",
      await renderSvg(concentrationChart(curve)),
      `${distinct} of ${trainCount.length} catalogue items were recommended at least once ` +
        `(${slots} list slots). The further a curve bows above the diagonal, the more it ` +
        `concentrates on popular items.`,
    ),
  ];
}

function stepsTable(run: RunReportData): string {
  const steps = run.record?.steps;
  if (!steps || steps.length === 0) return paragraph("No run.json: step details unknown.");
  const rows = steps.map((step, i) => {
    const tag = step.status === "cached" || step.status === "computed" ? step.status : "other";
    const log = step.log.length > 0
      ? details(
        `${step.log.length} log line${step.log.length > 1 ? "s" : ""}`,
        preformatted(
          step.log.join("\n"),
        ),
      )
      : "";
    return [
      i + 1,
      step.name,
      step.kind,
      { html: `<span class="tag ${tag}">${escapeHtml(step.status ?? "")}</span>` },
      step.seconds.toFixed(3),
      { html: `<code>${escapeHtml(step.fingerprint.slice(0, 12))}</code>` },
      { html: log },
    ];
  });
  return htmlTable(["#", "step", "kind", "status", "seconds", "fingerprint", "log"], rows, {
    numeric: [0, 4],
  });
}

function environment(run: RunReportData): string {
  const env = run.record?.environment;
  if (!env) return paragraph("No run.json: environment unknown.");
  const git = env.git.commit
    ? `${env.git.commit.slice(0, 12)}${env.git.dirty ? " (uncommitted changes)" : ""}`
    : "not a git checkout";
  const rows: Array<[string, string]> = [
    ["Deno", env.deno],
    ["V8", env.v8],
    ["TypeScript", env.typescript],
    ["OS", env.os],
    ["CPU", `${env.cpu} (${env.cores} cores)`],
    ["git", git],
  ];
  const packages = Object.values(env.packages).join(", ");
  return htmlTable(["", "version"], [...rows, ["packages", packages]]);
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}
