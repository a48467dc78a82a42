import type { ConcentrationCurve, Histogram, PopularityBands } from "./chart_data.ts";
import { seriesColours } from "./palette.ts";
import type { ChartSpec } from "./render_svg.ts";
import type { LearningCurves } from "./run_report_data.ts";

/**
 * Vega-Lite specs of the report charts. Each takes already-aggregated numbers (tens to a
 * few thousand rows) and only decides how they look.
 */

const WIDTH = 460;
const HEIGHT = 250;
const GREY = "#9aa5b1";

/** Train and dev curves per epoch; the best dev epoch of each part marked with a dot. */
export function learningCurvesChart(curves: LearningCurves): ChartSpec {
  const rows: Array<{ part: string; epoch: number; curve: string; value: number }> = [];
  const best: Array<{ part: string; epoch: number; curve: string; value: number }> = [];
  for (const curve of curves.curves) {
    const values = curves.values[curve];
    const bestRow = new Map<string, number>();
    for (let r = 0; r < curves.epoch.length; r++) {
      if (Number.isNaN(values[r])) continue;
      rows.push({ part: curves.part[r], epoch: curves.epoch[r], curve, value: values[r] });
      const current = bestRow.get(curves.part[r]);
      if (curve.startsWith("dev") && (current === undefined || values[r] < values[current])) {
        bestRow.set(curves.part[r], r);
      }
    }
    for (const [part, r] of bestRow) {
      best.push({ part, epoch: curves.epoch[r], curve, value: values[r] });
    }
  }
  const parts = new Set(curves.part).size;
  const allRmse = curves.curves.every((c) => c.endsWith("rmse"));
  const encoding = {
    x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
    y: {
      field: "value",
      type: "quantitative",
      title: allRmse ? "RMSE" : "value",
      scale: { zero: false },
    },
    color: {
      field: "curve",
      type: "nominal",
      title: "curve",
      scale: { domain: curves.curves },
    },
  } as const;
  return {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: "line", point: rows.length <= 60 },
        encoding: {
          ...encoding,
          ...(parts > 1
            ? { strokeDash: { field: "part", type: "nominal", title: "train step" } }
            : {}),
        },
      },
      {
        data: { values: best },
        mark: { type: "point", shape: "circle", size: 110, filled: false, strokeWidth: 2 },
        encoding,
      },
    ],
  };
}

/**
 * Histogram of one per-user metric, the held-out parts side by side within each bin (as a
 * share of each part's users, so parts of different sizes compare), the mean as a rule.
 */
export function perUserHistogramChart(
  metric: string,
  parts: Array<{ part: string; histogram: Histogram; mean: number }>,
): ChartSpec {
  const rows: Array<{ part: string; x0: number; x1: number; share: number; users: number }> = [];
  parts.forEach(({ part, histogram }, p) => {
    const { lower, width, counts } = histogram;
    let total = 0;
    for (let b = 0; b < counts.length; b++) total += counts[b];
    const slot = width / parts.length;
    for (let b = 0; b < counts.length; b++) {
      const x0 = lower[b] + p * slot;
      rows.push({
        part,
        x0: x0 + slot * 0.06,
        x1: x0 + slot * 0.94,
        share: total > 0 ? (100 * counts[b]) / total : 0,
        users: counts[b],
      });
    }
  });
  const lo = parts[0].histogram.lower[0];
  const hi = lo + parts[0].histogram.width * parts[0].histogram.counts.length;
  const color = {
    field: "part",
    type: "nominal",
    title: "part",
    scale: { domain: parts.map((p) => p.part) },
  } as const;
  return {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: "rect" },
        encoding: {
          x: {
            field: "x0",
            type: "quantitative",
            title: metric,
            scale: { domain: [lo, hi], nice: false },
          },
          x2: { field: "x1" },
          y: { field: "share", type: "quantitative", title: "% of users" },
          color,
        },
      },
      {
        data: { values: parts.map(({ part, mean }) => ({ part, mean })) },
        mark: { type: "rule", strokeDash: [5, 3], strokeWidth: 1.5 },
        encoding: { x: { field: "mean", type: "quantitative" }, color },
      },
    ],
  };
}

/** Share of training ratings vs share of recommendation slots per popularity band. */
export function popularityBandsChart(bands: PopularityBands): ChartSpec {
  const count = bands.trainShare.length;
  const label = (b: number) => String(b + 1);
  const rows: Array<{ band: string; order: number; series: string; share: number }> = [];
  for (let b = 0; b < count; b++) {
    rows.push({ band: label(b), order: b, series: "training ratings", share: bands.trainShare[b] });
    rows.push({
      band: label(b),
      order: b,
      series: "recommendations",
      share: bands.recommendedShare[b],
    });
  }
  return {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "band",
            type: "ordinal",
            sort: { field: "order" },
            title: `popularity band (1 = the ${Math.round(100 / count)}% most-rated items)`,
            axis: { labelAngle: 0 },
          },
          xOffset: { field: "series", type: "nominal" },
          y: { field: "share", type: "quantitative", title: "% of total" },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: { range: [GREY, "#2563eb"], domain: ["training ratings", "recommendations"] },
          },
        },
      },
      {
        data: { values: [{ even: 100 / count }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#52606d" },
        encoding: { y: { field: "even", type: "quantitative" } },
      },
    ],
  };
}

/** Lorenz-style curves of ratings and recommendations over the popularity-ranked catalogue. */
export function concentrationChart(curve: ConcentrationCurve): ChartSpec {
  const rows: Array<{ catalogue: number; share: number; series: string }> = [];
  for (let s = 0; s < curve.catalogueShare.length; s++) {
    const catalogue = curve.catalogueShare[s];
    rows.push({ catalogue, share: curve.recommendedShare[s], series: "recommendations" });
    rows.push({ catalogue, share: curve.trainShare[s], series: "training ratings" });
    rows.push({ catalogue, share: catalogue, series: "every item alike" });
  }
  const series = ["recommendations", "training ratings", "every item alike"];
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: "line" },
    encoding: {
      x: {
        field: "catalogue",
        type: "quantitative",
        title: "% of the catalogue, most popular items first",
        scale: { domain: [0, 100] },
      },
      y: {
        field: "share",
        type: "quantitative",
        title: "cumulative % taken",
        scale: { domain: [0, 100] },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: series, range: ["#2563eb", GREY, "#cbd2d9"] },
      },
      strokeDash: {
        field: "series",
        type: "nominal",
        legend: null,
        scale: { domain: series, range: [[1, 0], [1, 0], [4, 4]] },
      },
    },
  };
}

/** Predicted against true score, one dot per item, the y = x line for reference. */
export function predictionsScatterChart(
  score: Float64Array,
  predicted: Float64Array,
  picked: Int32Array,
): ChartSpec {
  const rows: Array<{ score: number; predicted: number }> = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of picked) {
    rows.push({ score: score[i], predicted: predicted[i] });
    lo = Math.min(lo, score[i], predicted[i]);
    hi = Math.max(hi, score[i], predicted[i]);
  }
  if (!(hi > lo)) [lo, hi] = [lo - 1, lo + 1];
  const pad = (hi - lo) * 0.04;
  const domain = [lo - pad, hi + pad];
  return {
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ a: domain[0], b: domain[0] }, { a: domain[1], b: domain[1] }] },
        mark: { type: "line", color: GREY, strokeDash: [4, 4], strokeWidth: 1 },
        encoding: {
          x: { field: "a", type: "quantitative", scale: { domain, nice: false } },
          y: { field: "b", type: "quantitative", scale: { domain, nice: false } },
        },
      },
      {
        data: { values: rows },
        mark: { type: "point", filled: true, opacity: 0.55, size: 24, color: "#2563eb" },
        encoding: {
          x: { field: "score", type: "quantitative", title: "true score" },
          y: { field: "predicted", type: "quantitative", title: "predicted score" },
        },
      },
    ],
  };
}

export interface ParamPoint {
  x: number | string;
  metric: string;
  value: number;
  /** the other swept parameters' values, one line per combination */
  group: string;
  part: string;
}

/**
 * Every metric against one swept parameter, small multiples with their own y scales. Lines
 * join runs that differ only in this parameter (`lines`); otherwise points stand alone.
 */
export function metricVsParamChart(
  param: string,
  points: ParamPoint[],
  options: {
    numeric: boolean;
    log: boolean;
    lines: boolean;
    grouped: boolean;
    /** the groups in legend order */
    groups: string[];
    parts: string[];
  },
): ChartSpec {
  const metrics = [...new Set(points.map((p) => p.metric))];
  const part = { field: "part", type: "nominal", title: "part", scale: { domain: options.parts } };
  const partChannel = options.grouped && options.parts.length > 1
    ? options.lines ? { strokeDash: part } : { shape: part }
    : {};
  return {
    data: { values: points },
    facet: { field: "metric", type: "nominal", title: null, sort: metrics },
    columns: Math.min(3, metrics.length),
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 220,
      height: 150,
      mark: options.lines ? { type: "line", point: true } : { type: "point", size: 60 },
      encoding: {
        x: options.numeric
          ? {
            field: "x",
            type: "quantitative",
            title: param,
            scale: options.log ? { type: "log" } : { zero: false },
          }
          : { field: "x", type: "nominal", title: param, axis: { labelAngle: -30 } },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        color: options.grouped
          ? {
            field: "group",
            type: "nominal",
            title: "other parameters",
            scale: { domain: options.groups, range: seriesColours(options.groups.length) },
          }
          : part,
        ...partChannel,
        tooltip: [
          { field: "x", title: param },
          { field: "value", type: "quantitative", title: "value", format: ".4~g" },
          { field: "group", title: "other parameters" },
          { field: "part" },
        ],
      },
    },
  } as ChartSpec;
}

/** The learning curves of several runs overlaid: one panel per curve, one line per run. */
export function curvesOverlayChart(
  rows: Array<{ run: string; epoch: number; curve: string; value: number }>,
  runOrder: string[],
): ChartSpec {
  return {
    data: { values: rows },
    facet: { field: "curve", type: "nominal", title: null },
    columns: 2,
    // Train and dev errors live on different scales: each panel gets its own y axis.
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 330,
      height: 200,
      mark: { type: "line", point: { size: 14 } },
      encoding: {
        x: { field: "epoch", type: "quantitative", axis: { tickMinStep: 1 } },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        color: {
          field: "run",
          type: "nominal",
          title: "run",
          scale: { domain: runOrder, range: seriesColours(runOrder.length) },
        },
        tooltip: [
          { field: "run" },
          { field: "curve" },
          { field: "epoch", type: "quantitative" },
          { field: "value", type: "quantitative", format: ".4~g" },
        ],
      },
    },
  };
}
