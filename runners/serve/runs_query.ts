/**
 * The runs table's query: `compare`'s --filter/--where language (runners/compare/conditions.ts)
 * over the in-memory index, a sort, the columns to show and one page of rows. Everything is
 * computed on the server, so the browser only ever receives a page.
 */
import { didYouMean, UserError } from "../errors.ts";
import {
  type Condition,
  parseCondition,
  satisfies,
  satisfiesTag,
  TAG_KEY,
} from "../compare/conditions.ts";
import type { Direction } from "../compare/metric_direction.ts";
import { metricColumns } from "../compare/compare_table.ts";
import { differingFields } from "../run_folder/differing_fields.ts";
import type { ParamValue } from "../run_folder/flatten_spec.ts";
import type { IndexedRun } from "./results_index.ts";

export interface RunsQuery {
  /** `model.k=10` (spec fields), as `compare --filter` */
  filter?: string[];
  /** `test.ndcg@10>0.1` (metrics), as `compare --where` */
  where?: string[];
  /** a column name; default `run` (the run id, that is the start time) */
  sort?: string;
  desc?: boolean;
  /** 1-based */
  page?: number;
  size?: number;
  /** columns to show; default: every column */
  columns?: string[];
}

export interface RunsColumn {
  name: string;
  kind: "run" | "info" | "param" | "metric";
  direction?: Direction;
  /** metrics: the best value over the matching runs, when they differ */
  best?: number;
}

export interface RunsPage {
  /** runs in scope (before the conditions) and runs matching them */
  total: number;
  matched: number;
  page: number;
  pages: number;
  size: number;
  /** every column the matching runs have, and those shown */
  columns: RunsColumn[];
  shown: string[];
  rows: IndexedRun[];
}

/** Columns every run has, besides its differing spec fields and its metrics. */
export const INFO_COLUMNS = ["experiment", "status", "started", "seconds", "git", "tags"];
export const DEFAULT_PAGE_SIZE = 50;
/**
 * Shown unless columns are chosen: a table must fit a screen. An experiment's runs have a
 * few differing fields and a score of metrics; across experiments (suites above all) there
 * can be hundreds of each, and the column chooser lists them all.
 */
const DEFAULT_PARAM_COLUMNS = 12;
const DEFAULT_METRIC_COLUMNS = 24;
export const MAX_PAGE_SIZE = 1000;

/**
 * Remembers a derived value under a key for as long as the index does not change (the server
 * passes one tied to the index's version); without one, everything is computed afresh.
 */
export type Memo = <T>(key: string, compute: () => T) => T;
const noMemo: Memo = (_key, compute) => compute();

export function queryRuns(runs: IndexedRun[], query: RunsQuery, memo: Memo = noMemo): RunsPage {
  const conditions = [
    ...(query.filter ?? []).map((text) => parseCondition(text, "filter")),
    ...(query.where ?? []).map((text) => parseCondition(text, "where")),
  ];
  if (conditions.length) {
    const known = memo("known", () => knownColumns(runs));
    for (const condition of conditions) checkColumn(condition.key, known, condition.text);
  }
  const scope = JSON.stringify(conditions.map((c) => c.text));
  const matched = memo(
    `matched ${scope}`,
    () => conditions.length ? runs.filter((run) => conditions.every((c) => holds(run, c))) : runs,
  );
  const knownMatched = () => memo(`known ${scope}`, () => knownColumns(matched));
  const sort = query.sort ?? "run";
  if (matched.length) checkColumn(sort, knownMatched(), `sort ${sort}`);
  const descending = query.desc ?? query.sort === undefined;
  const ordered = memo(`sorted ${scope} ${JSON.stringify([sort, descending])}`, () => {
    const copy = [...matched];
    sortRuns(copy, sort, descending);
    return copy;
  });

  const columns: RunsColumn[] = memo(`columns ${scope}`, () => [
    { name: "run", kind: "run" as const },
    ...INFO_COLUMNS.map((name) => ({ name, kind: "info" as const })),
    ...differingFields(matched.map((r) => r.params)).map((name) => ({
      name,
      kind: "param" as const,
    })),
    ...metricColumns(matched),
  ]);
  // Any field a run has may be asked for, also one that no longer differs after a filter.
  const names = query.columns?.length ? knownMatched() : new Set<string>();
  const shown = query.columns?.length
    ? ["run", ...query.columns.filter((c) => c !== "run" && names.has(c))]
    : defaultColumns(columns, new Set(matched.map((r) => r.experiment)).size > 1);
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.size ?? DEFAULT_PAGE_SIZE)));
  const pages = Math.max(1, Math.ceil(matched.length / size));
  const page = Math.min(pages, Math.max(1, Math.floor(query.page ?? 1)));
  return {
    total: runs.length,
    matched: matched.length,
    page,
    pages,
    size,
    columns,
    shown,
    rows: ordered.slice((page - 1) * size, page * size),
  };
}

/**
 * The run and info columns (the experiment only when several are listed), the first differing
 * fields (not `name`, which the experiment column shows), and the metrics of plain parts (test,
 * dev) before those of suite members.
 */
function defaultColumns(columns: RunsColumn[], experiments: boolean): string[] {
  const params = columns.filter((c) => c.kind === "param" && c.name !== "name");
  const metrics = columns.filter((c) => c.kind === "metric");
  const plain = metrics.filter((c) => !c.name.slice(0, c.name.indexOf(".")).includes("/"));
  const rest = metrics.filter((c) => !plain.includes(c));
  return [
    ...columns.filter((c) =>
      c.kind === "run" || (c.kind === "info" && (experiments || c.name !== "experiment"))
    ),
    ...params.slice(0, DEFAULT_PARAM_COLUMNS),
    ...[...plain, ...rest].slice(0, DEFAULT_METRIC_COLUMNS),
  ].map((c) => c.name);
}

/** A run's value in a column (undefined where it has none). */
export function runValue(run: IndexedRun, column: string): ParamValue | undefined {
  switch (column) {
    case "run":
      return run.id;
    case "experiment":
      return run.experiment;
    case "status":
      return run.status;
    case "started":
      return run.started;
    case "seconds":
      return run.seconds;
    case "git":
      return run.git.commit === null ? undefined : run.git.commit.slice(0, 8) +
        (run.git.dirty ? "+dirty" : "");
    case "tags":
      return run.tags.length ? run.tags.join(" ") : undefined;
  }
  return run.metrics.get(column) ?? run.params.get(column);
}

/** `tag=best` holds when the run carries the tag, as in `compare`; other columns alike. */
function holds(run: IndexedRun, condition: Condition): boolean {
  if (condition.key === TAG_KEY) return satisfiesTag(run.tags, condition);
  return satisfies(runValue(run, condition.key), condition);
}

function knownColumns(runs: IndexedRun[]): Set<string> {
  const known = new Set<string>(["run", TAG_KEY, ...INFO_COLUMNS]);
  for (const run of runs) {
    for (const key of run.params.keys()) known.add(key);
    for (const key of run.metrics.keys()) known.add(key);
  }
  return known;
}

function checkColumn(name: string, known: Set<string>, where: string): void {
  if (known.has(name)) return;
  const guess = didYouMean(name, [...known]);
  throw new UserError(
    `'${where}': no spec field or metric '${name}' in these runs` +
      (guess ? ` (did you mean '${guess}'?)` : ""),
  );
}

/** Stable; numbers numerically, text by code point; missing values last either way. */
function sortRuns(runs: IndexedRun[], column: string, descending: boolean): void {
  const sign = descending ? -1 : 1;
  const keyed = runs.map((run, index) => ({ run, index, value: runValue(run, column) }));
  const missing = (v: unknown) => v === undefined || v === null || Number.isNaN(v);
  keyed.sort((a, b) => {
    const am = missing(a.value), bm = missing(b.value);
    if (am || bm) return am === bm ? a.index - b.index : am ? 1 : -1;
    const order = typeof a.value === "number" && typeof b.value === "number"
      ? a.value - b.value
      : compareText(String(a.value), String(b.value));
    return order === 0 ? a.index - b.index : sign * order;
  });
  for (let i = 0; i < runs.length; i++) runs[i] = keyed[i].run;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
