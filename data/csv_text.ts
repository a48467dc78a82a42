/**
 * Small RFC 4180 helpers over raw file bytes: the header of a CSV file, and the physical line
 * where a given record starts. A record is not a line: quoted fields may hold newlines, so
 * error messages need this scan to point at the right line of the file.
 */
import { DataError } from "./data_error.ts";

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CR = 0x0d;
const CHUNK_BYTES = 4 << 20;
const HEADER_LIMIT_BYTES = 1 << 20;
const utf8 = new TextDecoder("utf-8");

/** Field names of the first record (BOM stripped, quotes undone, CR of CRLF removed). */
export async function readCsvHeader(path: string): Promise<string[]> {
  const bytes = await readPrefix(path, HEADER_LIMIT_BYTES);
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  if (start >= bytes.length) throw new DataError("the file is empty", path, 1);
  let inQuotes = false;
  let end = start;
  for (; end < bytes.length; end++) {
    if (bytes[end] === QUOTE) inQuotes = !inQuotes;
    else if (bytes[end] === NEWLINE && !inQuotes) break;
  }
  if (end === bytes.length && bytes.length === HEADER_LIMIT_BYTES) {
    throw new DataError(
      `no end of the header line in the first ${HEADER_LIMIT_BYTES} bytes`,
      path,
      1,
    );
  }
  if (end > start && bytes[end - 1] === CR) end--;
  if (end === start) throw new DataError("the header line is empty", path, 1);
  const fields: string[] = [];
  let field = "";
  inQuotes = false;
  const text = utf8.decode(bytes.subarray(start, end));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else inQuotes = false;
    } else if (c === '"') inQuotes = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Where a record was found: its first physical line (1-based) and that line's text. */
export interface RecordLocation {
  line: number;
  text: string;
}

/**
 * Which record to find. `unit` counts newline-terminated units outside quotes from 1, header and
 * blank lines included (the numbering DuckDB's "CSV Error on Line" uses); `dataRow` counts
 * non-blank records after the header from 0 (the row index of a DuckDB scan).
 */
export type RecordTarget = { unit: number } | { dataRow: number };

/** Scans the file once; undefined when the file has fewer records than the target. */
export async function locateCsvRecord(
  path: string,
  target: RecordTarget,
): Promise<RecordLocation | undefined> {
  const offsetAndLine = await findRecordStart(path, target);
  if (offsetAndLine === undefined) return undefined;
  const [offset, line] = offsetAndLine;
  return { line, text: await readLineAt(path, offset) };
}

async function findRecordStart(
  path: string,
  target: RecordTarget,
): Promise<[number, number] | undefined> {
  const wantedUnit = "unit" in target ? target.unit : -1;
  const wantedDataRow = "dataRow" in target ? target.dataRow : -1;
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(CHUNK_BYTES);
  let inQuotes = false;
  let line = 1;
  let unit = 1;
  let dataRow = -1; // the header is unit 1 and not a data row
  let unitOffset = 0;
  let unitLine = 1;
  let unitHasContent = false;
  let position = 0;
  const unitEnds = (): boolean => {
    if (unit === wantedUnit) return true;
    if (unitHasContent && unit > 1 && ++dataRow === wantedDataRow) return true;
    return false;
  };
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    for (let i = 0; i < n; i++) {
      const byte = buffer[i];
      if (byte === QUOTE) {
        inQuotes = !inQuotes;
        unitHasContent = true;
      } else if (byte === NEWLINE) {
        line++;
        if (inQuotes) continue;
        if (unitEnds()) return [unitOffset, unitLine];
        unit++;
        unitOffset = position + i + 1;
        unitLine = line;
        unitHasContent = false;
      } else if (byte !== CR) unitHasContent = true;
    }
    position += n;
  }
  // The last record may lack its newline.
  if (position > unitOffset && unitEnds()) return [unitOffset, unitLine];
  return undefined;
}

async function readLineAt(path: string, offset: number): Promise<string> {
  using file = await Deno.open(path, { read: true });
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(4096);
  const n = (await file.read(buffer)) ?? 0;
  let end = buffer.subarray(0, n).indexOf(NEWLINE);
  if (end < 0) end = n;
  if (end > 0 && buffer[end - 1] === CR) end--;
  const start = offset === 0 && hasUtf8Bom(buffer) ? 3 : 0;
  return utf8.decode(buffer.subarray(start, end));
}

async function readPrefix(path: string, limit: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(limit);
  let filled = 0;
  while (filled < limit) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}
