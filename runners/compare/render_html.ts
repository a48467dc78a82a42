import {
  cellText,
  type CompareReport,
  correctionLine,
  legend,
  pairedCells,
  pairedHeaders,
  pairedTitle,
} from "./cells.ts";
import { isBest } from "./compare_table.ts";

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; white-space: nowrap; }
th { background: #f3f3f3; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: bold; background: #e6f4e6; }
tr:nth-child(even) td:not(.best) { background: #fafafa; }
p.legend { color: #555; }`;

/** A self-contained page (no scripts, no external files): the table, its legend, tests. */
export function renderHtml(report: CompareReport, title: string): string {
  const { columns, rows } = report.table;
  const head = columns.map((c) => `<th>${escape(c.name)}</th>`).join("");
  const body = rows.map((row) => {
    const cells = columns.map((column) => {
      const classes = [
        column.kind === "metric" ? "num" : "",
        isBest(row, column) ? "best" : "",
      ].filter(Boolean).join(" ");
      return `<td${classes ? ` class="${classes}"` : ""}>${escape(cellText(row, column))}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  });
  const sections = [
    `<h1>${escape(title)}</h1>`,
    `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`,
    `<p class="legend">${escape(legend(report.table))}</p>`,
  ];
  const method = report.correction.method;
  for (const paired of report.paired) {
    const header = pairedHeaders(method).map((h) => `<th>${escape(h)}</th>`).join("");
    const lines = pairedCells(paired, method).map((cells) =>
      `<tr>${cells.map((c, i) => `<td${i ? ' class="num"' : ""}>${escape(c)}</td>`).join("")}</tr>`
    );
    sections.push(
      `<h2>${escape(pairedTitle(paired))}</h2>`,
      `<table>\n<thead><tr>${header}</tr></thead>\n<tbody>\n${
        lines.join("\n")
      }\n</tbody>\n</table>`,
    );
  }
  if (report.paired.length) {
    sections.push(`<p class="legend">${escape(correctionLine(report))}</p>`);
  }
  for (const note of report.notes) sections.push(`<p>${escape(note)}</p>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>${STYLE}
</style>
</head>
<body>
${sections.join("\n")}
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
