/**
 * Reads chosen columns of a large CSV file with DuckDB (parallel, RFC 4180 quoting) and turns
 * DuckDB's parse errors into DataErrors that point at the physical line of the file.
 *
 * DuckDB is imported lazily: runs that never read a raw file do not pay for loading it.
 */
import type { DuckDBConnection, DuckDBMaterializedResult } from "@duckdb/node-api";
import { DataError, didYouMean } from "./data_error.ts";
import { locateCsvRecord } from "./csv_text.ts";

export type CsvColumnType = "DOUBLE" | "FLOAT" | "VARCHAR";

export interface DuckDbSession {
  connection: DuckDBConnection;
  close(): void;
}

export async function openDuckDb(): Promise<DuckDbSession> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  // Row order is part of the data (the study's splits follow file order).
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "true" });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Throws a DataError naming the column (with a did-you-mean) unless each appears exactly once. */
export function requireColumns(path: string, header: string[], required: readonly string[]): void {
  for (const name of required) {
    const count = header.filter((found) => found === name).length;
    if (count === 1) continue;
    const message = count === 0
      ? `missing required column "${name}"${didYouMean(name, header)}; the header has: ${
        header.map((found) => JSON.stringify(found)).join(", ")
      }`
      : `column "${name}" appears ${count} times in the header`;
    throw new DataError(message, path, 1, name);
  }
}

/**
 * Materializes `columns` (in that order) of the CSV file at `path`, whose header was read as
 * `header`. Other columns are still tokenized (RFC 4180 demands it) but never converted.
 * Strict mode: a row with a wrong field count or an unclosed quote is an error.
 */
export async function selectCsvColumns(
  connection: DuckDBConnection,
  path: string,
  header: string[],
  columns: Record<string, CsvColumnType>,
): Promise<DuckDBMaterializedResult> {
  const declared = header.map((name, index) => {
    // Unused columns get positional names: duplicate or odd header names cannot clash.
    const selected = Object.hasOwn(columns, name);
    return `${sqlString(selected ? name : `unused_${index}`)}: '${
      selected ? columns[name] : "VARCHAR"
    }'`;
  });
  const selection = Object.keys(columns).map(sqlIdentifier).join(", ");
  const sql = `SELECT ${selection} FROM read_csv(${sqlString(path)}, header = true, ` +
    `auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true, ` +
    `columns = {${declared.join(", ")}})`;
  try {
    return await connection.run(sql);
  } catch (error) {
    throw await duckDbErrorToDataError(error, path);
  }
}

/** A DataError for the `row`-th data row (0-based, as in a scan result) of a CSV file. */
export async function dataRowError(
  path: string,
  row: number,
  message: string,
  field?: string,
): Promise<DataError> {
  const where = await locateCsvRecord(path, { dataRow: row });
  return where === undefined
    ? new DataError(`${message} (data row ${row + 1})`, path, undefined, field)
    : new DataError(message, path, where.line, field);
}

/**
 * DuckDB reports "CSV Error on Line: N" where N counts records (quoted newlines do not count),
 * so the physical line is found by scanning the file. The located text must appear in DuckDB's
 * "Original Line" for the line to be trusted; otherwise the row number is reported instead.
 */
export async function duckDbErrorToDataError(error: unknown, path: string): Promise<DataError> {
  const text = error instanceof Error ? error.message : String(error);
  const conversion =
    /Error when converting column "(.*?)"\. Could not convert string "(.*)" to '(\w+)'/
      .exec(text);
  const fieldCount = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  let problem: string;
  let field: string | undefined;
  if (conversion) {
    field = conversion[1];
    const expected = conversion[3] === "VARCHAR" ? "text" : "a number";
    problem = `column "${field}": "${conversion[2]}" is not ${expected}`;
  } else if (fieldCount) {
    problem = `expected ${fieldCount[1]} fields but found ${
      fieldCount[2]
    } (truncated or malformed row)`;
  } else if (/unterminated quote/i.test(text)) {
    problem = "a quoted field is never closed (unterminated quote)";
  } else {
    problem = text.split("\n")[0].replace(/CSV Error on Line: \d+\s*/, "").trim();
  }
  const unit = /CSV Error on Line: (\d+)/.exec(text);
  if (!unit) return new DataError(problem, path, undefined, field);
  const record = Number(unit[1]);
  const where = await locateCsvRecord(path, { unit: record });
  if (where !== undefined && where.text.length > 0 && text.includes(where.text)) {
    return new DataError(problem, path, where.line, field);
  }
  return new DataError(
    `${problem} (row ${record - 1} after the header, as counted by DuckDB)`,
    path,
    undefined,
    field,
  );
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
