import {
  cellText,
  type CompareReport,
  correctionLine,
  legend,
  pairedCells,
  pairedHeaders,
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
  const headers = pairedHeaders(report.correction.method);
  for (const paired of report.paired) {
    lines.push("", `### ${pairedTitle(paired)}`, "", markdownRow(headers));
    lines.push(`|---|${headers.slice(1).map(() => "---:").join("|")}|`);
    for (const cells of pairedCells(paired, report.correction.method)) {
      lines.push(markdownRow(cells));
    }
  }
  if (report.paired.length) lines.push("", correctionLine(report));
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
  const number = (value: number | undefined) =>
    value === undefined || Number.isNaN(value) ? "" : String(value);
  // A metric with an interval or a spread in any row gets `<name> ci_low`, `<name> ci_high`
  // or `<name> std` columns right after it.
  const extras = new Map(columns.map((c) => [
    c.name,
    [
      ...(rows.some((r) => r.ci.has(c.name)) ? ["ci_low", "ci_high"] : []),
      ...(rows.some((r) => r.std.has(c.name)) ? ["std"] : []),
    ],
  ]));
  const header = columns.flatMap((
    c,
  ) => [c.name, ...extras.get(c.name)!.map((e) => `${c.name} ${e}`)]);
  const lines = [header.map(csvText).join(",")];
  for (const row of rows) {
    lines.push(
      columns.flatMap((column) => {
        const value = valueOf(row, column.name);
        const cell = typeof value === "number"
          ? number(value)
          : value === undefined
          ? ""
          : csvText(cellText(row, column));
        const extra = extras.get(column.name)!.map((e) =>
          e === "std" ? number(row.std.get(column.name)) : number(
            row.ci.get(column.name)?.[e === "ci_low" ? 0 : 1],
          )
        );
        return [cell, ...extra];
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
        if (row.ci.size) out.ci = Object.fromEntries(row.ci);
        if (row.std.size) out.std = Object.fromEntries(row.std);
        return out;
      }),
      correction: {
        method: report.correction.method,
        comparisons: report.correction.tests,
        description: report.paired.length ? correctionLine(report) : null,
      },
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
          t_p_adjusted: t.tPAdjusted,
          wilcoxon_p_adjusted: t.wilcoxonPAdjusted,
        })),
      })),
      notes: report.notes,
    },
    null,
    2,
  ) + "\n";
}
