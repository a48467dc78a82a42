import { formatParam, type ParamValue } from "../run_folder/flatten_spec.ts";
import {
  type ComparisonColumn,
  type ComparisonRow,
  type ComparisonTable,
  valueOf,
} from "./compare_table.ts";
import { formatMetricCell } from "../results.ts";
import type { PairedComparison } from "./significance.ts";
import { lowerIsBetterMetrics } from "./metric_direction.ts";
import { type Correction, CORRECTION_NAMES } from "./p_value_correction.ts";

/** What `compare` reports: the table, and paired tests when a baseline applies. */
export interface CompareReport {
  table: ComparisonTable;
  paired: PairedComparison[];
  /** remarks for the reader (e.g. why no paired tests were run) */
  notes: string[];
  /** how the paired tests' p-values were corrected, over how many comparisons */
  correction: { method: Correction; tests: number };
}

/**
 * A cell for people (Markdown, HTML): metrics to 4 decimals with their interval
 * (`0.1234 [0.1180, 0.1290]`) or spread over folds (`0.1234 ± 0.0056`), absent as empty.
 */
export function cellText(row: ComparisonRow, column: ComparisonColumn): string {
  if (column.kind === "tags") return row.tags.join(", ");
  const value = valueOf(row, column.name);
  return column.kind === "metric"
    ? formatMetricCell(
      value as number | undefined,
      row.ci.get(column.name),
      row.std.get(column.name),
    )
    : formatParam(value as ParamValue | undefined);
}

export function formatNumber(value: number | undefined, digits = 4): string {
  if (value === undefined || Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/**
 * How a p-value of exactly 0 reads. Both tests compute their tail directly (the t-test as
 * stdlib's incomplete beta at −|t|, the Wilcoxon normal approximation as CDF(−|z|)), which
 * stays accurate down to ~1e-304: 0 means the p-value underflowed below 1e-300, not that it
 * is 0.
 */
export const UNDERFLOWED_P = "< 1e-300";

/**
 * p-values: three decimals, small ones in exponent form; 0 as UNDERFLOWED_P; NaN (no test
 * possible: under two pairs, no difference) as "n/a".
 */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return "n/a";
  if (p === 0) return UNDERFLOWED_P;
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** The header line of a paired comparison. */
export function pairedTitle(paired: PairedComparison): string {
  return `Paired tests on ${paired.part}: ${paired.other.id} vs baseline ${paired.baseline.id}`;
}

/** The paired tests' columns: the adjusted p-values too, unless uncorrected. */
export function pairedHeaders(correction: Correction): string[] {
  return [
    "metric",
    "users",
    "baseline",
    "run",
    "difference",
    "t",
    "p (t-test)",
    "p (Wilcoxon)",
    ...(correction === "none" ? [] : [`p ${correction} (t-test)`, `p ${correction} (Wilcoxon)`]),
  ];
}

export function pairedCells(paired: PairedComparison, correction: Correction): string[][] {
  return paired.tests.map((t) => [
    t.metric,
    String(t.pairs),
    formatNumber(t.baselineMean),
    formatNumber(t.otherMean),
    formatSigned(t.meanDifference),
    Number.isNaN(t.t) ? "n/a" : t.t.toFixed(2),
    formatP(t.tPValue),
    formatP(t.wilcoxonPValue),
    ...(correction === "none" ? [] : [formatP(t.tPAdjusted), formatP(t.wilcoxonPAdjusted)]),
  ]);
}

/** The line under the paired tests: which correction, over how many comparisons. */
export function correctionLine(report: CompareReport): string {
  const { method, tests } = report.correction;
  if (method === "none") {
    return `p-values not corrected for multiple comparisons (--correction none; ${tests} ` +
      "comparisons).";
  }
  return `p ${method}: p-values adjusted by ${CORRECTION_NAMES[method]} over the ${tests} ` +
    "comparisons (run × metric) of each test; --correction holm | bh | none.";
}

function formatSigned(value: number): string {
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/** The reading guide printed under the table. */
export function legend(table: ComparisonTable): string {
  const shown = table.rows.length === table.runsRead
    ? `${table.rows.length} runs`
    : `${table.rows.length} of ${table.runsRead} runs`;
  const intervals = table.rows.some((r) => r.ci.size)
    ? " [low, high]: 95% bootstrap confidence interval over users."
    : "";
  const folds = table.rows.some((r) => r.std.size) ? " ±: standard deviation over folds." : "";
  return `${shown}; spec fields equal in all of them are not shown. Best per metric marked ` +
    `(higher is better; lower for ${lowerIsBetterMetrics().join(", ")}; ` +
    `baseline_* figures unmarked).${intervals}${folds}`;
}
