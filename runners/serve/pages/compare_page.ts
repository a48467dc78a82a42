/**
 * The compare page for the runs chosen in the table: `compare`'s table and paired tests
 * against a chosen baseline (runners/compare/), then the comparison report's charts
 * (metrics against each differing parameter, overlaid learning curves).
 */
import { basename, dirname } from "node:path";
import {
  cellText,
  type CompareReport,
  correctionLine,
  legend,
  pairedCells,
  pairedHeaders,
  pairedTitle,
} from "../../compare/cells.ts";
import { isBest } from "../../compare/compare_table.ts";
import { htmlTable } from "../../report/html.ts";
import { appPage, escapeHtml, runHref } from "./layout.ts";

export interface ComparedRef {
  experiment: string;
  id: string;
}

export function comparePageHtml(
  refs: ComparedRef[],
  baseline: ComparedRef,
  part: string,
  report: CompareReport,
  charts: string[],
): string {
  const key = (r: ComparedRef) => `${r.experiment}/${r.id}`;
  const { columns, rows } = report.table;
  const head = columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join("");
  const body = rows.map((row) => {
    const cells = columns.map((column) => {
      const classes = [column.kind === "metric" ? "num" : "", isBest(row, column) ? "best" : ""]
        .filter(Boolean).join(" ");
      const text = cellText(row, column);
      const content = column.kind === "run"
        ? `<a href="${escapeHtml(runHref(basename(dirname(row.run.dir)), row.run.id))}">${
          escapeHtml(text)
        }</a>`
        : escapeHtml(text);
      return `<td${classes ? ` class="${classes}"` : ""}>${content}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  }).join("\n");
  const hidden = refs.map((r) => `<input type="hidden" name="run" value="${escapeHtml(key(r))}">`)
    .join("");
  const options = refs.map((r) =>
    `<option value="${escapeHtml(key(r))}"${key(r) === key(baseline) ? " selected" : ""}>${
      escapeHtml(key(r))
    }</option>`
  ).join("");
  const method = report.correction.method;
  const paired = report.paired.map((p) =>
    `<h3>${escapeHtml(pairedTitle(p))}</h3>` +
    htmlTable(pairedHeaders(method), pairedCells(p, method), {
      numeric: pairedHeaders(method).map((_, i) => i).slice(1),
    })
  );
  const sections = [
    `<h1>Compare ${refs.length} runs</h1>`,
    `<form class="query" method="get" action="/compare">${hidden}` +
    `<label>baseline<select name="baseline" id="baseline">${options}</select></label>` +
    `<label>part<input name="part" value="${escapeHtml(part)}" size="10"></label>` +
    `<button type="submit">Test against baseline</button></form>`,
    `<section id="table"><h2>Runs</h2><div class="table-wrap"><table class="runs">` +
    `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>` +
    `<p class="note">${escapeHtml(legend(report.table))}</p></section>`,
    `<section id="paired"><h2>Paired tests against ${escapeHtml(key(baseline))}</h2>${
      paired.join("\n") || '<p class="note">No paired tests.</p>'
    }${report.paired.length ? `<p class="note">${escapeHtml(correctionLine(report))}</p>` : ""}${
      report.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("")
    }</section>`,
    `<section id="charts"><h2>Charts</h2>${
      charts.length
        ? `<div class="charts">\n${charts.join("\n")}\n</div>`
        : '<p class="note">Nothing to plot.</p>'
    }</section>`,
  ];
  return appPage("Compare runs", sections.join("\n"), [["experiments", "/"], ["compare"]]);
}
