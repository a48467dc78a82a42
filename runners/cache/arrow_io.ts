import {
  makeVector,
  Table as ArrowTable,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import type { Column, Table } from "../table.ts";

/**
 * Tables go to disk as Arrow IPC files (readable by pyarrow, pandas, DuckDB). Columns of
 * one Arrow table must share a length; a table whose columns differ is written as one
 * file per group of equal-length columns.
 */
export function groupColumnsByLength(table: Table): Table[] {
  const groups = new Map<number, Table>();
  for (const [name, column] of Object.entries(table)) {
    const group = groups.get(column.length) ?? {};
    group[name] = column;
    groups.set(column.length, group);
  }
  return [...groups.values()];
}

export function encodeTable(table: Table): Uint8Array {
  const vectors: Record<string, ReturnType<typeof makeVector>> = {};
  for (const [name, column] of Object.entries(table)) {
    vectors[name] = Array.isArray(column)
      ? vectorFromArray(column, new Utf8())
      : makeVector(column);
  }
  return tableToIPC(new ArrowTable(vectors), "file");
}

export function decodeTable(bytes: Uint8Array): Table {
  const table = tableFromIPC(bytes);
  const out: Table = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const values = vector.toArray();
    out[field.name] = (Array.isArray(values) ? values : values) as Column;
  }
  return out;
}
