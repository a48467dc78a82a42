import { formatParam, type ParamValue } from "../run_folder/flatten_spec.ts";
import {
  type ComparisonColumn,
  type ComparisonRow,
  type ComparisonTable,
  valueOf,
} from "./compare_table.ts";
import type { PairedComparison } from "./significance.ts";
import { lowerIsBetterMetrics } from "./metric_direction.ts";

/** What `compare` reports: the table, and paired tests when a baseline applies. */
export interface CompareReport {
  table: ComparisonTable;
  paired: PairedComparison[];
  /** remarks for the reader (e.g. why no paired tests were run) */
  notes: string[];
}

/** A cell for people (Markdown, HTML): metrics to 4 decimals, absent as empty. */
export function cellText(row: ComparisonRow, column: ComparisonColumn): string {
  const value = valueOf(row, column.name);
  return column.kind === "metric"
    ? formatNumber(value as number | undefined)
    : formatParam(value as ParamValue | undefined);
}

export function formatNumber(value: number | undefined, digits = 4): string {
  if (value === undefined || Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/**
 * p-values: three decimals, small ones in exponent form; 0 (below double precision in
 * 1 - CDF) as "< 1e-16"; NaN (no test possible: under two pairs, no difference) as "n/a".
 */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return "n/a";
  if (p === 0) return "< 1e-16";
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

/** The header line of a paired comparison. */
export function pairedTitle(paired: PairedComparison): string {
  return `Paired tests on ${paired.part}: ${paired.other.id} vs baseline ${paired.baseline.id}`;
}

export const PAIRED_HEADERS = [
  "metric",
  "users",
  "baseline",
  "run",
  "difference",
  "t",
  "p (t-test)",
  "p (Wilcoxon)",
];

export function pairedCells(paired: PairedComparison): string[][] {
  return paired.tests.map((t) => [
    t.metric,
    String(t.pairs),
    formatNumber(t.baselineMean),
    formatNumber(t.otherMean),
    formatSigned(t.meanDifference),
    Number.isNaN(t.t) ? "n/a" : t.t.toFixed(2),
    formatP(t.tPValue),
    formatP(t.wilcoxonPValue),
  ]);
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
  return `${shown}; spec fields equal in all of them are not shown. Best per metric marked ` +
    `(higher is better; lower for ${lowerIsBetterMetrics().join(", ")}; ` +
    "baseline_* figures unmarked).";
}
