import { didYouMean, UserError } from "../errors.ts";
import { differingFields } from "../run_folder/differing_fields.ts";
import { type FlatSpec, flattenSpec, type ParamValue } from "../run_folder/flatten_spec.ts";
import type { RunFolder } from "../run_folder/read_run.ts";
import { type Condition, satisfies, satisfiesTag, TAG_KEY } from "./conditions.ts";
import { type Direction, metricDirection } from "./metric_direction.ts";
import type { Interval } from "../uncertainty/bootstrap.ts";

export interface ComparisonColumn {
  /**
   * `run`, `tags` (the run's tags, shown when some run has any), a dotted spec path
   * (`model.k`) or `<part>.<metric>` (`test.ndcg@10`)
   */
  name: string;
  kind: "run" | "tags" | "param" | "metric";
  /** metrics only */
  direction?: Direction;
  /** metrics only: the best value over the rows, if the column has a direction and values */
  best?: number;
}

/**
 * A run with its spec flattened and its metrics keyed `<part>.<metric>`, with their
 * confidence intervals and spreads over folds under the same keys.
 */
export interface ComparisonRow {
  run: RunFolder;
  params: FlatSpec;
  metrics: Map<string, number>;
  ci: Map<string, Interval>;
  std: Map<string, number>;
  /** the run's tags (annotations.json) */
  tags: string[];
}

export interface ComparisonTable {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
  /** runs read, before filtering */
  runsRead: number;
}

export interface TableOptions {
  /** `--filter` and `--where` conditions; a row is kept when all hold */
  conditions?: Condition[];
  /** a column name to sort by (`run`, a spec path or a metric); default: the runs' order */
  sort?: string;
  descending?: boolean;
  /** compare runs of different experiments (different `name`) */
  allowMixed?: boolean;
}

/**
 * One row per run: the run id, the spec fields that differ between the kept runs, then
 * every metric (parts in order of appearance: test, dev, ...), each metric column with its
 * best value. Conditions see every spec field, not only the differing ones.
 */
export function buildComparison(runs: RunFolder[], options: TableOptions = {}): ComparisonTable {
  const all = runs.map(toRow);
  const known = knownColumns(all);
  for (const condition of options.conditions ?? []) {
    checkColumn(condition.key, known, condition.text);
  }
  const rows = all.filter((row) =>
    (options.conditions ?? []).every((c) =>
      c.key === TAG_KEY ? satisfiesTag(row.tags, c) : satisfies(valueOf(row, c.key), c)
    )
  );
  if (rows.length === 0) {
    throw new UserError(`no run matches the conditions (${runs.length} runs read)`);
  }
  if (!options.allowMixed) requireOneExperiment(rows);
  if (options.sort !== undefined) {
    checkColumn(options.sort, known, `--sort ${options.sort}`);
    sortRows(rows, options.sort, options.descending ?? false);
  } else if (options.descending) rows.reverse();

  const columns: ComparisonColumn[] = [
    { name: "run", kind: "run" },
    ...(rows.some((r) => r.tags.length) ? [{ name: "tags", kind: "tags" as const }] : []),
    ...differingFields(rows.map((r) => r.params)).map((name) => ({
      name,
      kind: "param" as const,
    })),
    ...metricColumns(rows),
  ];
  return { columns, rows, runsRead: runs.length };
}

/**
 * A row's value in a column: the run id, its tags, a spec field or a metric (undefined if
 * absent).
 */
export function valueOf(row: ComparisonRow, column: string): ParamValue | number | undefined {
  if (column === "run") return row.run.id;
  if (column === "tags") return row.tags;
  return row.metrics.get(column) ?? row.params.get(column);
}

/** Whether the cell holds its column's best value (ties are all best). */
export function isBest(row: ComparisonRow, column: ComparisonColumn): boolean {
  return column.best !== undefined && row.metrics.get(column.name) === column.best;
}

function toRow(run: RunFolder): ComparisonRow {
  return {
    run,
    params: flattenSpec(run.spec),
    metrics: byColumn(run.metrics),
    ci: byColumn(run.uncertainty?.ci ?? {}),
    std: byColumn(run.uncertainty?.std ?? {}),
    tags: run.annotations?.tags ?? [],
  };
}

/** part -> metric -> value as one map keyed `<part>.<metric>`. */
function byColumn<T>(parts: Record<string, Record<string, T>>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [part, values] of Object.entries(parts)) {
    for (const [name, value] of Object.entries(values)) out.set(`${part}.${name}`, value);
  }
  return out;
}

function knownColumns(rows: ComparisonRow[]): Set<string> {
  const known = new Set<string>(["run", "tags", TAG_KEY]);
  for (const row of rows) {
    for (const key of row.params.keys()) known.add(key);
    for (const key of row.metrics.keys()) known.add(key);
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

/** Runs of different experiments rarely measure the same thing: refuse unless asked. */
function requireOneExperiment(rows: ComparisonRow[]): void {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const name = String(row.run.spec.name ?? "(no name)");
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size < 2) return;
  const list = [...counts].map(([name, n]) => `${name} (${n} run${n === 1 ? "" : "s"})`);
  throw new UserError(
    `these runs belong to different experiments: ${list.join(", ")}; ` +
      "compare one experiment, narrow with --filter name=<name>, or pass --allow-mixed",
  );
}

/** Stable sort; numbers numerically, text by code point; absent and NaN values last. */
function sortRows(rows: ComparisonRow[], column: string, descending: boolean): void {
  const sign = descending ? -1 : 1;
  const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row, column) }));
  const missing = (v: unknown) => v === undefined || v === null || Number.isNaN(v);
  keyed.sort((a, b) => {
    const am = missing(a.value), bm = missing(b.value);
    if (am || bm) return am === bm ? a.index - b.index : am ? 1 : -1;
    const order = typeof a.value === "number" && typeof b.value === "number"
      ? a.value - b.value
      : compareText(JSON.stringify(a.value), JSON.stringify(b.value));
    return order === 0 ? a.index - b.index : sign * order;
  });
  for (let i = 0; i < rows.length; i++) rows[i] = keyed[i].row;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The metric columns of some runs (each with its metrics by `<part>.<metric>`): parts in
 * order of first appearance, each part's metrics together, the best value marked. The
 * compare table and the results browser's runs table both use it.
 */
export function metricColumns(
  rows: ReadonlyArray<{ metrics: Map<string, number> }>,
): Array<{ name: string; kind: "metric"; direction: Direction; best: number | undefined }> {
  const names = new Set<string>();
  for (const row of rows) for (const name of row.metrics.keys()) names.add(name);
  // Parts in order of first appearance, each part's metrics together.
  const parts = new Map<string, string[]>();
  for (const name of names) {
    const part = name.slice(0, name.indexOf("."));
    const group = parts.get(part);
    if (group) group.push(name);
    else parts.set(part, [name]);
  }
  return [...parts.values()].flat().map((name) => {
    const direction = metricDirection(name.slice(name.indexOf(".") + 1));
    return { name, kind: "metric" as const, direction, best: bestValue(rows, name, direction) };
  });
}

/**
 * The best value of a column, if it has a direction and at least two runs have a value,
 * not all the same (a mark on every row tells nothing).
 */
function bestValue(
  rows: ReadonlyArray<{ metrics: Map<string, number> }>,
  name: string,
  direction: Direction,
): number | undefined {
  if (direction === "neutral") return undefined;
  let best: number | undefined;
  let worst: number | undefined;
  for (const row of rows) {
    const value = row.metrics.get(name);
    if (value === undefined || Number.isNaN(value)) continue;
    if (best === undefined || (direction === "higher" ? value > best : value < best)) best = value;
    if (worst === undefined || (direction === "higher" ? value < worst : value > worst)) {
      worst = value;
    }
  }
  return best !== worst ? best : undefined;
}
