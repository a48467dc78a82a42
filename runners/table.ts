/**
 * The in-memory form of every cached artifact: named tables of typed columns.
 * Columns of one table share a length; different tables may differ (e.g. a ratings
 * table and the id map of its users).
 */
export type NumericColumn =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export type Column = NumericColumn | string[];

export type Table = Record<string, Column>;

/** A cached step output: tables plus small JSON metadata (counts, metrics, notes). */
export interface Artifact {
  tables: Record<string, Table>;
  meta: Record<string, unknown>;
}
