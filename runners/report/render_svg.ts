// The only file that names the Vega packages. Pinned inline until deno.json lists them as
// "vega" and "vega-lite"; then these become bare specifiers and the lint ignores go.
import type { Config, TopLevelSpec } from "vega-lite";
import { CATEGORY_COLOURS } from "./palette.ts";

/**
 * Vega-Lite specs to inline SVG, server-side: Vega renders its scenegraph to an SVG string
 * without a browser or a canvas (text widths are estimated when no canvas is installed).
 * Vega is imported on first use so that `run` and the other commands do not pay for it.
 */

/** A chart as the report builders write it: a Vega-Lite spec. */
export type ChartSpec = TopLevelSpec;

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");

let modules: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

function loadVega() {
  modules ??= Promise.all([
    import("vega"),
    import("vega-lite"),
  ]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return modules;
}

/** One look for every chart of the reports. */
const REPORT_CONFIG: Config = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  background: "white",
  padding: 8,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    titleColor: "#3e4c59",
    labelColor: "#52606d",
    gridColor: "#eef0f3",
    domainColor: "#9aa5b1",
    tickColor: "#9aa5b1",
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    orient: "bottom",
    direction: "horizontal",
    columns: 4,
    labelLimit: 280,
  },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
  range: { category: CATEGORY_COLOURS },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};

/** Warnings (e.g. a dropped encoding) are not worth a report failing; errors are. */
const quietLogger = {
  _level: 0,
  level(value?: number) {
    if (value === undefined) return this._level;
    this._level = value;
    return this;
  },
  error(...args: unknown[]): never {
    throw new Error(`vega-lite: ${args.map(String).join(" ")}`);
  },
  warn() {
    return this;
  },
  info() {
    return this;
  },
  debug() {
    return this;
  },
};

/** Renders a Vega-Lite spec to an SVG string (an `<svg>` element, no XML prolog). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile(spec, {
    config: REPORT_CONFIG,
    logger: quietLogger as never,
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    return withTooltips(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega labels every mark for screen readers (`aria-label="epoch: 3; value: 0.91; run: …"`);
 * the same text as an SVG `<title>` is the browser's own tooltip, with no script.
 */
function withTooltips(svg: string): string {
  return svg.replace(
    /<(path|rect|circle|line)(\s[^>]*?aria-label="([^"]*)"[^>]*?)\/>/g,
    "<$1$2><title>$3</title></$1>",
  );
}
