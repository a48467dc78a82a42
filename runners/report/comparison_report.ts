import { didYouMean } from "../../data/data_error.ts";
import { UserError } from "../errors.ts";
import { formatMetricCell } from "../results.ts";
import { differingFields } from "../run_folder/differing_fields.ts";
import { metricDirection } from "../compare/metric_direction.ts";
import {
  type FlatSpec,
  flattenSpec,
  formatParam,
  type ParamValue,
} from "../run_folder/flatten_spec.ts";
import { readRun, type RunFolder } from "../run_folder/read_run.ts";
import { curvesOverlayChart, metricVsParamChart, type ParamPoint } from "./charts.ts";
import {
  type Cell,
  escapeHtml,
  facts,
  figure,
  htmlTable,
  page,
  paragraph,
  section,
} from "./html.ts";
import { compareParamsBy, shortParamNames } from "./param_labels.ts";
import { parsePartKey, partOrder } from "../run_folder/part_key.ts";
import { renderSvg } from "./render_svg.ts";

export interface ComparisonOptions {
  /** dotted spec paths to plot metrics against; default: every field that differs */
  sweptParams?: string[];
  title?: string;
}

/** More parameter charts than this is a wall nobody reads; the rest are listed instead. */
const MAX_PARAM_CHARTS = 8;
const MAX_METRICS_PER_CHART = 12;
const MAX_PARAM_COLUMNS = 12;
/** Beyond this many other differing parameters, a line per combination is noise. */
const MAX_GROUPING_PARAMS = 3;

/** Told apart elsewhere (name: the experiment column) or not configuration (sweep). */
export const NOT_COMPARED = ["name", "sweep"];

/** A run with its spec flattened once: every table and chart looks fields up by path. */
interface ComparedRun extends RunFolder {
  params: FlatSpec;
}

/** Writes a comparison of several run folders to `outFile` and returns its path. */
export async function writeComparisonReport(
  runDirs: string[],
  outFile: string,
  options: ComparisonOptions = {},
): Promise<string> {
  if (runDirs.length === 0) throw new UserError("a comparison needs at least one run folder");
  const runs = runDirs.map((dir) => readRun(dir, { record: true }));
  await Deno.writeTextFile(outFile, await comparisonReportHtml(runs, options));
  return outFile;
}

export async function comparisonReportHtml(
  folders: RunFolder[],
  options: ComparisonOptions = {},
): Promise<string> {
  const runs: ComparedRun[] = folders.map((run) => ({ ...run, params: flattenSpec(run.spec) }));
  if (options.sweptParams) checkParamsExist(options.sweptParams, runs);
  const differing = options.sweptParams ??
    differingFields(runs.map((r) => r.params), { ignore: NOT_COMPARED });
  // A field some runs lack (another model's hyperparameter) is told apart in the runs table,
  // but plotting metrics against it compares little; those set in every run are plotted.
  const plotted = options.sweptParams ?? chartOrder(
    differing.filter((p) => runs.every((r) => r.params.has(p))),
  );
  const labels = runLabels(runs, differing);
  const experiments = [...new Set(runs.map(experimentOf))];
  const title = options.title ?? `Comparison: ${experiments.join(", ")}`;
  const charts = await chartsOf(runs, plotted, labels, differing);
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>`,
    facts([
      ["runs", String(runs.length)],
      ["experiments", experiments.join(", ")],
      [
        "differing parameters",
        differing.length === 0
          ? "none"
          : differing.length <= 4
          ? differing.join(", ")
          : `${differing.length} (see the runs table)`,
      ],
    ]),
    "</header>",
    section("Runs", runsTable(runs, differing, labels), "runs"),
    section("Metrics", metricsTables(runs, labels), "metrics"),
    section(
      "Charts",
      charts.length > 0
        ? `<div class="charts">\n${charts.join("\n")}\n</div>`
        : paragraph("No parameter takes two or more values across these runs: nothing to plot."),
      "charts",
    ),
  ];
  return page(title, body.join("\n"));
}

/**
 * The comparison's charts alone (metrics against each differing parameter, overlaid learning
 * curves), for pages that show their own tables: the results browser's compare page.
 */
export function comparisonCharts(
  folders: RunFolder[],
  options: ComparisonOptions = {},
): Promise<string[]> {
  const runs: ComparedRun[] = folders.map((run) => ({ ...run, params: flattenSpec(run.spec) }));
  if (options.sweptParams) checkParamsExist(options.sweptParams, runs);
  const differing = options.sweptParams ??
    differingFields(runs.map((r) => r.params), { ignore: NOT_COMPARED });
  const plotted = options.sweptParams ?? chartOrder(
    differing.filter((p) => runs.every((r) => r.params.has(p))),
  );
  return chartsOf(runs, plotted, runLabels(runs, differing), differing);
}

async function chartsOf(
  runs: ComparedRun[],
  plotted: string[],
  labels: string[],
  differing: string[],
): Promise<string[]> {
  return [...await paramCharts(runs, plotted), ...await curvesOverlay(runs, labels, differing)];
}

/** The model first: across experiments it is what the comparison is about. */
function chartOrder(params: string[]): string[] {
  return [...params.filter((p) => p === "model.type"), ...params.filter((p) => p !== "model.type")];
}

function experimentOf(run: RunFolder): string {
  return String(run.spec.name ?? run.record?.experiment ?? run.id);
}

function runIdOf(run: RunFolder): string {
  return run.record?.run_id ?? run.id;
}

function checkParamsExist(params: string[], runs: ComparedRun[]): void {
  const known = [...new Set(runs.flatMap((r) => [...r.params.keys()]))];
  for (const param of params) {
    if (!known.includes(param)) {
      throw new UserError(
        `no run's spec has the field '${param}'${didYouMean(param, known)}`,
        { path: param },
      );
    }
  }
}

/**
 * `factors=8, lr=0.005` when at most three parameters tell runs apart; else the experiment
 * name, with the run id's suffix where one experiment has several runs.
 */
function runLabels(runs: ComparedRun[], params: string[]): string[] {
  const short = shortParamNames(params);
  const perExperiment = new Map<string, number>();
  for (const run of runs) {
    perExperiment.set(experimentOf(run), (perExperiment.get(experimentOf(run)) ?? 0) + 1);
  }
  const labels = runs.map((run) => {
    if (params.length === 0 || params.length > 3) {
      const experiment = experimentOf(run);
      return perExperiment.get(experiment)! > 1
        ? `${experiment} ${runIdOf(run).slice(-6)}`
        : experiment;
    }
    return params.map((p) => `${short.get(p)}=${paramText(run.params.get(p))}`).join(
      ", ",
    );
  });
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, i) =>
    counts.get(label)! > 1 ? `${label} (${runIdOf(runs[i])})` : label
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A field's value in a table or label; – where the run does not set it. */
function paramText(value: ParamValue | undefined): string {
  return value === undefined ? "–" : formatParam(value);
}

/** Differing fields as columns, those set in every run first, at most a dozen of them. */
function runsTable(runs: ComparedRun[], params: string[], labels: string[]): string {
  const everywhere = params.filter((p) => runs.every((r) => r.params.has(p)));
  const ordered = [...everywhere, ...params.filter((p) => !everywhere.includes(p))];
  const shown = ordered.slice(0, MAX_PARAM_COLUMNS);
  const short = shortParamNames(shown);
  const rows: Cell[][] = runs.map((run, i) => [
    labels[i],
    experimentOf(run),
    runIdOf(run),
    run.record ? run.record.seconds.toFixed(2) : "",
    ...shown.map((p) => truncate(paramText(run.params.get(p)), 40)),
  ]);
  const table = htmlTable(
    ["run", "experiment", "run id", "seconds", ...shown.map((p) => short.get(p)!)],
    rows,
    { numeric: [3] },
  );
  const hidden = ordered.slice(MAX_PARAM_COLUMNS);
  return hidden.length > 0
    ? table + paragraph(`Also differing (– = not set in that run): ${hidden.join(", ")}.`)
    : table;
}

/** One table per held-out part: runs as rows, metrics as columns, the best value in bold. */
function metricsTables(runs: ComparedRun[], labels: string[]): string {
  const parts = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort(partOrder);
  return parts.map((part) => {
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.metrics[part] ?? {})))];
    const best = names.map((name) => bestValue(name, runs.map((r) => r.metrics[part]?.[name])));
    const rows: Cell[][] = runs.map((run, i) => [
      labels[i],
      ...names.map((name, c) => {
        const value = run.metrics[part]?.[name];
        const text = formatMetricCell(
          value,
          run.uncertainty?.ci[part]?.[name],
          run.uncertainty?.std[part]?.[name],
        );
        return value !== undefined && value === best[c]
          ? { html: `<strong class="best">${escapeHtml(text)}</strong>` }
          : text;
      }),
    ]);
    return htmlTable(["run", ...names], rows, {
      caption: part,
      numeric: names.map((_, c) => c + 1),
    });
  }).join("\n");
}

function bestValue(metric: string, values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (present.length < 2) return undefined;
  // The metric registry says which way a metric improves; figures it does not know are unranked.
  const direction = metricDirection(metric);
  if (direction === "lower") return Math.min(...present);
  if (direction === "higher") return Math.max(...present);
  return undefined;
}

async function paramCharts(runs: ComparedRun[], params: string[]): Promise<string[]> {
  const parts = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))]
    .filter((p) => parsePartKey(p).fold === undefined)
    .sort(partOrder)
    .slice(0, 2);
  const metrics = [
    ...new Set(runs.flatMap((r) => parts.flatMap((p) => Object.keys(r.metrics[p] ?? {})))),
  ].slice(0, MAX_METRICS_PER_CHART);
  const short = shortParamNames(params);
  const out: string[] = [];
  const skipped: string[] = [];
  for (const param of params) {
    const values = runs.map((r) => r.params.get(param));
    const defined = values.filter((v): v is ParamValue => v !== undefined);
    if (new Set(defined.map((v) => JSON.stringify(v))).size < 2) continue;
    if (out.length >= MAX_PARAM_CHARTS) {
      skipped.push(param);
      continue;
    }
    const numeric = defined.every((v) => typeof v === "number");
    const positive = numeric && defined.every((v) => (v as number) > 0);
    const spread = positive
      ? Math.max(...(defined as number[])) / Math.min(...(defined as number[]))
      : 0;
    const others = params.filter((p) => p !== param);
    const groupOf = runs.map((run) =>
      others.map((p) => `${short.get(p)}=${paramText(run.params.get(p))}`).join(", ") ||
      "all runs"
    );
    const points: ParamPoint[] = [];
    runs.forEach((run, i) => {
      const x = values[i];
      if (x === undefined) return;
      const group = groupOf[i];
      for (const part of parts) {
        for (const metric of metrics) {
          const value = run.metrics[part]?.[metric];
          if (value === undefined || !Number.isFinite(value)) continue;
          points.push({ x: numeric ? x as number : formatParam(x), metric, value, group, part });
        }
      }
    });
    if (points.length === 0) continue;
    const groupOrder = runs
      .map((run, i) => ({ run, group: groupOf[i] }))
      .sort((a, b) => compareParamsBy(others, a.run.params, b.run.params))
      .map((g) => g.group)
      .filter((g, i, all) => all.indexOf(g) === i);
    const groups = groupOrder.length;
    const sweepLike = others.length <= MAX_GROUPING_PARAMS;
    const missing = values.length - defined.length;
    out.push(figure(
      `Metrics against ${param}`,
      await renderSvg(metricVsParamChart(param, points, {
        numeric,
        log: spread >= 50,
        lines: numeric && sweepLike,
        grouped: sweepLike && groups > 1,
        groups: groupOrder,
        parts,
      })),
      `Each panel one metric (own scale), ${parts.join(" and ")} parts` +
        (sweepLike && groups > 1
          ? `; one ${numeric ? "line" : "colour"} per combination of the other differing parameters`
          : "") +
        (!sweepLike ? `; other parameters differ too, so read points, not trends` : "") +
        (missing > 0 ? `; ${missing} run(s) without this field left out` : "") + ".",
      true,
    ));
  }
  if (skipped.length > 0) {
    out.push(paragraph(`Also differing, not plotted: ${skipped.join(", ")}.`));
  }
  return out;
}

/** The runs' per-epoch curves from run.json (the first train step that has them). */
async function curvesOverlay(
  runs: ComparedRun[],
  labels: string[],
  params: string[],
): Promise<string[]> {
  const rows: Array<{ run: string; epoch: number; curve: string; value: number }> = [];
  let without = 0;
  runs.forEach((run, i) => {
    const step = run.record?.steps.find((s) => s.meta?.curves);
    const curves = step?.meta?.curves as Record<string, Array<number | null>> | undefined;
    if (!curves) {
      without++;
      return;
    }
    for (const [curve, values] of Object.entries(curves)) {
      values.forEach((value, e) => {
        if (value !== null && Number.isFinite(value)) {
          rows.push({ run: labels[i], epoch: e + 1, curve, value });
        }
      });
    }
  });
  if (rows.length === 0) return [];
  const order = runs.map((run, i) => ({ run, label: labels[i] }))
    .sort((a, b) => compareParamsBy(params, a.run.params, b.run.params))
    .map((r) => r.label);
  return [
    figure(
      "Learning curves",
      await renderSvg(curvesOverlayChart(rows, order)),
      "Per-epoch error of each run's model, one line per run" +
        (without > 0 ? `; ${without} run(s) recorded no curves (e.g. a cached train step)` : "") +
        ".",
      true,
    ),
  ];
}
