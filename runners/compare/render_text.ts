import {
  cellText,
  type CompareReport,
  legend,
  PAIRED_HEADERS,
  pairedCells,
  pairedTitle,
} from "./cells.ts";
import { isBest, valueOf } from "./compare_table.ts";

/** Markdown: the table (best values in bold), its legend, then any paired tests. */
export function renderMarkdown(report: CompareReport): string {
  const { columns, rows } = report.table;
  const lines = [
    markdownRow(columns.map((c) => c.name)),
    `|${columns.map((c) => (c.kind === "metric" ? "---:" : "---")).join("|")}|`,
  ];
  for (const row of rows) {
    lines.push(markdownRow(columns.map((column) => {
      const text = cellText(row, column);
      return text && isBest(row, column) ? `**${text}**` : text;
    })));
  }
  lines.push("", legend(report.table));
  for (const paired of report.paired) {
    lines.push("", `### ${pairedTitle(paired)}`, "", markdownRow(PAIRED_HEADERS));
    lines.push(`|---|${PAIRED_HEADERS.slice(1).map(() => "---:").join("|")}|`);
    for (const cells of pairedCells(paired)) lines.push(markdownRow(cells));
  }
  for (const note of report.notes) lines.push("", note);
  return lines.join("\n") + "\n";
}

function markdownRow(cells: string[]): string {
  return `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
}

/**
 * CSV (RFC 4180): the table alone, values unrounded, lists as `[a, b]`. One table per
 * file keeps it loadable by any CSV reader; paired tests are in md, json and html. Text
 * cells (run ids, spec fields, column names) are neutralised against formula injection;
 * numbers stay numbers.
 */
export function renderCsv(report: CompareReport): string {
  const { columns, rows } = report.table;
  const lines = [columns.map((c) => csvText(c.name)).join(",")];
  for (const row of rows) {
    lines.push(
      columns.map((column) => {
        const value = valueOf(row, column.name);
        if (typeof value === "number") return Number.isNaN(value) ? "" : String(value);
        return value === undefined ? "" : csvText(cellText(row, column));
      }).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * A text cell, safe to open in a spreadsheet (OWASP's CSV injection advice): text
 * starting with = + - @, a tab or a carriage return would be read as a formula, so it
 * gets a leading single quote and is quoted; any cell with a quote, comma or line break
 * is quoted, its quotes doubled.
 */
export function csvText(text: string): string {
  const formula = /^[=+\-@\t\r]/.test(text);
  const cell = formula ? `'${text}` : text;
  return formula || /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * JSON: columns (with each metric's direction and best value), one object per row keyed
 * by column (plus the run folder), and the paired tests. NaN and absent values are null.
 */
export function renderJson(report: CompareReport): string {
  const { columns, rows, runsRead } = report.table;
  return JSON.stringify(
    {
      runs_read: runsRead,
      columns: columns.map((c) => ({
        name: c.name,
        kind: c.kind,
        ...(c.kind === "metric" ? { better: c.direction, best: c.best ?? null } : {}),
      })),
      rows: rows.map((row) => {
        const out: Record<string, unknown> = { dir: row.run.dir };
        for (const column of columns) out[column.name] = valueOf(row, column.name) ?? null;
        return out;
      }),
      paired_tests: report.paired.map((p) => ({
        part: p.part,
        baseline: p.baseline.id,
        run: p.other.id,
        tests: p.tests.map((t) => ({
          metric: t.metric,
          pairs: t.pairs,
          baseline_mean: t.baselineMean,
          run_mean: t.otherMean,
          mean_difference: t.meanDifference,
          t: t.t,
          t_p_value: t.tPValue,
          wilcoxon_statistic: t.wilcoxonStatistic,
          wilcoxon_p_value: t.wilcoxonPValue,
        })),
      })),
      notes: report.notes,
    },
    null,
    2,
  ) + "\n";
}
