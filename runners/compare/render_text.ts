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
 * file keeps it loadable by any CSV reader; paired tests are in md, json and html.
 */
export function renderCsv(report: CompareReport): string {
  const { columns, rows } = report.table;
  const lines = [columns.map((c) => csvField(c.name)).join(",")];
  for (const row of rows) {
    lines.push(
      columns.map((column) => {
        const value = valueOf(row, column.name);
        if (column.kind === "metric") {
          return value === undefined || Number.isNaN(value) ? "" : String(value);
        }
        return csvField(cellText(row, column));
      }).join(","),
    );
  }
  return lines.join("\n") + "\n";
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
