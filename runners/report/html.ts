/**
 * HTML building blocks of the reports. Pages are self-contained: inline CSS, inline SVG, no
 * scripts and no external references, so a report opens offline and can be mailed as one file.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A cell: plain text (escaped), or markup the caller built (already safe). */
export type Cell = string | number | { html: string } | null | undefined;

export interface TableOptions {
  /** column indexes holding numbers: right-aligned, tabular figures */
  numeric?: number[];
  caption?: string;
  className?: string;
}

export function htmlTable(headers: Cell[], rows: Cell[][], options: TableOptions = {}): string {
  const numeric = new Set(options.numeric ?? []);
  const cell = (tag: string, value: Cell, column: number) =>
    `<${tag}${numeric.has(column) ? ' class="num"' : ""}>${cellHtml(value)}</${tag}>`;
  const wrapClass = options.className
    ? `table-wrap ${escapeHtml(options.className)}`
    : "table-wrap";
  return [
    `<div class="${wrapClass}"><table>`,
    options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "",
    `<thead><tr>${headers.map((h, c) => cell("th", h, c)).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((row) => `<tr>${row.map((v, c) => cell("td", v, c)).join("")}</tr>`),
    "</tbody></table></div>",
  ].join("\n");
}

function cellHtml(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return value.html;
  return escapeHtml(String(value));
}

/** A chart: the inline SVG with a title and a one-line reading guide under it. */
export function figure(title: string, svg: string, caption: string, wide = false): string {
  return [
    `<figure class="chart${wide ? " wide" : ""}">`,
    `<h3>${escapeHtml(title)}</h3>`,
    svg,
    `<figcaption>${escapeHtml(caption)}</figcaption>`,
    "</figure>",
  ].join("\n");
}

export function section(title: string, body: string, id?: string): string {
  const anchor = id ? ` id="${escapeHtml(id)}"` : "";
  return `<section${anchor}>\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/** Small label/value pairs shown under the page title. */
export function facts(pairs: Array<[string, string]>): string {
  const items = pairs.map(([label, value]) =>
    `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`
  );
  return `<dl class="facts">${items.join("")}</dl>`;
}

export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${
    escapeHtml(summary)
  }</summary>\n${body}\n</details>`;
}

export function preformatted(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`;
}

export function paragraph(text: string, className = "note"): string {
  return `<p class="${className}">${escapeHtml(text)}</p>`;
}

/** A metric value as tables show it: 4 decimals, integers as they are, blank when missing. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)
    ? value.toExponential(3)
    : value.toFixed(4);
}

/** A whole page; `head` adds markup to its head (the results browser's own style). */
export function page(title: string, body: string, head = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="recsys-runner report">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>${head}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const STYLE = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --card: #ffffff; --bg: #f5f7fa;
  --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h1 small { font-weight: 400; color: var(--muted); font-size: 16px; margin-left: 8px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
p.note { color: var(--muted); font-size: 13px; margin: 8px 0; }
dl.facts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 0; }
dl.facts div { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 6px 12px; }
dl.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px 10px; overflow-x: auto; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; padding: 8px 12px; font-weight: 600; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tbody tr:last-child td { border-bottom: none; }
tbody td:first-child { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table-wrap.compact { width: fit-content; min-width: 50%; max-width: 100%; }
strong.best { color: var(--accent); }
.tag { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.tag.cached { background: #e3f8ec; color: #18794e; }
.tag.computed { background: #e6efff; color: #1d4ed8; }
.tag.other { background: #eef0f3; color: var(--muted); }
details { margin: 10px 0; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px;
  overflow-x: auto; font-size: 13px; line-height: 1.45; }
code { font-size: 13px; }
@media print { body { background: #fff; } figure.chart, .table-wrap { break-inside: avoid; } }
`;
