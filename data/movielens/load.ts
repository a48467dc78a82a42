/**
 * Loads a MovieLens ratings file into typed arrays, rows in file order, original ids.
 *
 * Formats, told apart by the first line: `u.data` (ml-100k: tab separated, no header,
 * user item rating timestamp), `ratings.dat` (ml-1m/10m: `::` separated, no header) and
 * `ratings.csv` (ml-latest, ml-20m/25m: header `userId,movieId,rating,timestamp`).
 * A hand-written byte parser: faster than a general CSV reader on these purely numeric files,
 * and it knows the exact line of every problem. Fields are split at every separator (a quoted
 * field may not contain one; MovieLens rating files hold only numbers). A UTF-8 BOM, CRLF line endings, blank lines
 * and a missing final newline are accepted; anything else malformed is a DataError.
 */
import { closestName, DataError, didYouMean } from "../data_error.ts";
import type { RawRatings } from "../raw_ratings.ts";
import { fieldText, parseDecimal, parseInteger } from "./ascii_numbers.ts";

/** A MovieLens file's ratings; `timestamp` whenever the file has the column (all formats do). */
export type MovieLensRatings = RawRatings;

export interface MovieLensLoadOptions {
  /** inclusive [min, max] rating scale; a rating outside it is an error */
  scale?: [number, number];
}

/** File names tried, in order, when `path` is a MovieLens directory. */
const RATING_FILE_NAMES = ["ratings.csv", "u.data", "ratings.dat"];
const CSV_COLUMNS = ["userId", "movieId", "rating", "timestamp"];
/** Column names used in messages for the headerless formats (ml-100k README wording). */
const HEADERLESS_COLUMNS = ["user id", "item id", "rating", "timestamp"];
const CHUNK_BYTES = 8 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const INT32_MAX = 2147483647;

/** What a field of a line holds; GAP is the empty field between the two colons of `::`. */
const USER = 0, ITEM = 1, RATING = 2, TIMESTAMP = 3, IGNORED = -1, GAP = -2;
const ZERO = 0x30;
const DOT = 0x2e;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

interface Layout {
  /** a CSV header line; otherwise the first line is already a rating */
  hasHeader: boolean;
  separator: number;
  /** role of each field */
  roles: Int8Array;
  /** name of each field, for messages */
  names: string[];
  /** fields a user would count (`::` files have a GAP between each) */
  visibleFields: number;
  hasTimestamp: boolean;
}

export async function loadMovieLens(
  path: string,
  options: MovieLensLoadOptions = {},
): Promise<MovieLensRatings> {
  const scale = checkScale(options.scale);
  const file = await resolveRatingsFile(path);
  const size = (await Deno.stat(file)).size;
  if (size === 0) throw new DataError("the file is empty", file, 1);
  using handle = await Deno.open(file, { read: true });
  const parser = new RatingsParser(file, size, scale);
  let buffer: Uint8Array = new Uint8Array(Math.min(CHUNK_BYTES, size + 1));
  let filled = 0;
  let checkedBom = false;
  for (;;) {
    if (filled === buffer.length) buffer = grow(buffer, file, parser.line);
    const n = await handle.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
    if (!checkedBom && (filled >= 3 || filled === size)) {
      checkedBom = true;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
        buffer.copyWithin(0, 3, filled);
        filled -= 3;
      }
    }
    const lastNewline = filled === 0 ? -1 : buffer.lastIndexOf(NEWLINE, filled - 1);
    if (lastNewline < 0) continue; // no complete line yet
    parser.parseLines(buffer, 0, lastNewline + 1, false);
    buffer.copyWithin(0, lastNewline + 1, filled);
    filled -= lastNewline + 1;
  }
  if (filled > 0) {
    // The parser relies on every piece ending with a newline.
    if (filled === buffer.length) buffer = grow(buffer, file, parser.line);
    buffer[filled++] = NEWLINE;
    parser.parseLines(buffer, 0, filled, true);
  }
  return parser.finish();
}

/** A directory is searched for a known ratings file; anything else must exist. */
async function resolveRatingsFile(path: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new DataError("file not found", path);
    throw error;
  }
  if (!info.isDirectory) return path;
  const found: string[] = [];
  for await (const entry of Deno.readDir(path)) found.push(entry.name);
  const name = RATING_FILE_NAMES.find((candidate) => found.includes(candidate));
  if (name !== undefined) return `${path.replace(/\/+$/, "")}/${name}`;
  const listing = found.length === 0
    ? "the directory is empty"
    : `found: ${found.sort().join(", ")}`;
  throw new DataError(`no ${RATING_FILE_NAMES.join(", ")} in the directory; ${listing}`, path);
}

function checkScale(scale: [number, number] | undefined): [number, number] {
  if (scale === undefined) return [-Infinity, Infinity];
  const [min, max] = scale;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new Error(`rating scale must be [min, max] with finite min <= max, got [${min}, ${max}]`);
  }
  return [min, max];
}

function grow(buffer: Uint8Array, file: string, line: number): Uint8Array {
  if (buffer.length >= 64 * CHUNK_BYTES) {
    throw new DataError(`line longer than ${buffer.length} bytes`, file, line);
  }
  const larger = new Uint8Array(buffer.length * 2);
  larger.set(buffer);
  return larger;
}

/** Parses whole lines as they arrive, appending to growing columns. */
class RatingsParser {
  /** number of the next line to parse, 1-based */
  line = 1;
  private layout: Layout | undefined;
  private count = 0;
  private userId: Int32Array;
  private itemId: Int32Array;
  private rating: Float32Array;
  private timestamp: Int32Array;

  constructor(
    private readonly file: string,
    fileBytes: number,
    private readonly scale: [number, number],
  ) {
    // ml-latest and ml-25m lines average about 25 bytes; the columns grow if that guess is low.
    const capacity = Math.max(1024, Math.ceil(fileBytes / 24));
    this.userId = new Int32Array(capacity);
    this.itemId = new Int32Array(capacity);
    this.rating = new Float32Array(capacity);
    this.timestamp = new Int32Array(capacity);
  }

  /**
   * Parses the lines in bytes[start, end), which must end with a newline (the caller adds one
   * to the file's final, unterminated piece and sets `atEnd`). One pass per byte: digits
   * accumulate as they are seen, and only an unusual field (sign, quotes, blanks, exponent) is
   * parsed again by the slow path.
   */
  parseLines(bytes: Uint8Array, start: number, end: number, atEnd: boolean): void {
    let i = this.layout === undefined ? this.readFirstLine(bytes, start, end) : start;
    if (this.layout === undefined) return;
    const { roles, separator } = this.layout;
    const fieldCount = roles.length;
    const [min, max] = this.scale;
    let { userId, itemId, rating, timestamp } = this;
    let row = this.count;
    let line = this.line;
    while (i < end) {
      if (row === rating.length) {
        this.growColumns();
        ({ userId, itemId, rating, timestamp } = this);
      }
      const lineStart = i;
      let field = 0;
      let fieldStart = i;
      let value = 0;
      let digits = 0;
      let fractionDigits = 0;
      let seenDot = false;
      let plain = true;
      let blank = false;
      for (;;) {
        const byte = bytes[i];
        const digit = byte - ZERO;
        if (digit >= 0 && digit <= 9) {
          value = value * 10 + digit;
          digits++;
          if (seenDot) fractionDigits++;
          i++;
          continue;
        }
        if (byte === DOT && !seenDot) {
          seenDot = true;
          i++;
          continue;
        }
        const fieldEnd = i;
        let lineEnds = byte === NEWLINE;
        if (byte === CR && bytes[i + 1] === NEWLINE) {
          lineEnds = true;
          i++;
        } else if (!lineEnds && byte !== separator) {
          plain = false;
          i++;
          continue;
        }
        if (lineEnds && field === 0 && fieldEnd === lineStart) {
          blank = true;
          i++;
          break;
        }
        const role = field < fieldCount ? roles[field] : IGNORED;
        if (role === RATING) {
          const parsed = plain && digits > 0 && digits <= 15
            ? value / POWERS_OF_TEN[fractionDigits]
            : parseDecimal(bytes, fieldStart, fieldEnd);
          if (Number.isNaN(parsed)) {
            this.fail(bytes, fieldStart, fieldEnd, field, line, "is not a number");
          }
          if (parsed < min || parsed > max) {
            const problem = `is outside the declared scale [${min}, ${max}]`;
            this.fail(bytes, fieldStart, fieldEnd, field, line, problem);
          }
          rating[row] = parsed;
        } else if (role >= 0) {
          const parsed = plain && digits > 0 && !seenDot
            ? value
            : parseInteger(bytes, fieldStart, fieldEnd);
          if (!(parsed >= 0 && parsed <= INT32_MAX)) {
            const problem = "is not a non-negative 32-bit integer";
            this.fail(bytes, fieldStart, fieldEnd, field, line, problem);
          }
          if (role === USER) userId[row] = parsed;
          else if (role === ITEM) itemId[row] = parsed;
          else timestamp[row] = parsed;
        } else if (role === GAP && fieldEnd !== fieldStart) {
          this.fail(
            bytes,
            fieldStart,
            fieldEnd,
            field,
            line,
            'follows a single ":" (expected "::")',
          );
        }
        field++;
        i++;
        if (lineEnds) break;
        fieldStart = i;
        value = 0;
        digits = 0;
        fractionDigits = 0;
        seenDot = false;
        plain = true;
      }
      if (!blank) {
        if (field !== fieldCount) this.failFieldCount(field, line, atEnd && i >= end);
        row++;
      }
      line++;
    }
    this.count = row;
    this.line = line;
  }

  finish(): MovieLensRatings {
    if (this.layout === undefined) throw new DataError("the file is empty", this.file, 1);
    if (this.count === 0) throw new DataError("no rating lines after the header", this.file, 2);
    const n = this.count;
    const ratings: MovieLensRatings = {
      userId: this.userId.slice(0, n),
      animeId: this.itemId.slice(0, n),
      rating: this.rating.slice(0, n),
    };
    if (this.layout.hasTimestamp) ratings.timestamp = this.timestamp.slice(0, n);
    return ratings;
  }

  /**
   * Sets the layout from the first non-blank line. Returns where rating lines start: after a
   * CSV header, or at the first line itself for the headerless formats.
   */
  private readFirstLine(bytes: Uint8Array, start: number, end: number): number {
    let lineStart = start;
    while (lineStart < end) {
      let lineEnd = bytes.indexOf(NEWLINE, lineStart);
      if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
      const text = fieldText(bytes, lineStart, lineEnd).replace(/\r$/, "");
      if (text !== "") {
        this.layout = this.layoutOf(text);
        if (!this.layout.hasHeader) return lineStart;
        this.line++;
        return lineEnd + 1;
      }
      this.line++;
      lineStart = lineEnd + 1;
    }
    return end;
  }

  /** Picks the format; a CSV header is checked. */
  private layoutOf(text: string): Layout {
    if (text.includes("\t") || text.includes("::")) return this.headerlessLayout(text);
    const names = text.split(",").map((name) => name.trim().replace(/^"(.*)"$/, "$1"));
    if (names.every((name) => name !== "" && !Number.isNaN(Number(name)))) {
      throw new DataError(
        `the first line is not a header; expected "${CSV_COLUMNS.join(",")}" ` +
          `(headerless u.data files are tab separated)`,
        this.file,
        this.line,
      );
    }
    const roles = new Int8Array(names.length).fill(IGNORED);
    for (const [role, column] of CSV_COLUMNS.entries()) {
      const index = names.indexOf(column);
      if (index >= 0) roles[index] = role;
      else if (role !== TIMESTAMP || closestName(column, names) !== undefined) {
        // A near-miss "timestamp" is a typo worth reporting, not an absent column.
        throw new DataError(
          `missing required column "${column}"${didYouMean(column, names)}; the header has: ${
            names.map((name) => JSON.stringify(name)).join(", ")
          }`,
          this.file,
          this.line,
          column,
        );
      }
    }
    return {
      hasHeader: true,
      separator: 0x2c,
      roles,
      names,
      visibleFields: names.length,
      hasTimestamp: names.includes("timestamp"),
    };
  }

  private headerlessLayout(text: string): Layout {
    const doubleColon = !text.includes("\t");
    const fields = text.split(doubleColon ? "::" : "\t").length;
    if (fields !== 3 && fields !== 4) {
      throw new DataError(
        `expected 4 fields (${HEADERLESS_COLUMNS.join(", ")}) but found ${fields}`,
        this.file,
        this.line,
      );
    }
    const visible = [USER, ITEM, RATING, TIMESTAMP].slice(0, fields);
    const names = HEADERLESS_COLUMNS.slice(0, fields);
    return {
      hasHeader: false,
      separator: doubleColon ? COLON : 0x09,
      roles: Int8Array.from(
        doubleColon ? visible.flatMap((role) => [GAP, role]).slice(1) : visible,
      ),
      names: doubleColon ? names.flatMap((name) => ["::", name]).slice(1) : names,
      visibleFields: fields,
      hasTimestamp: fields === 4,
    };
  }

  private fail(
    bytes: Uint8Array,
    from: number,
    to: number,
    field: number,
    line: number,
    problem: string,
  ): never {
    const name = this.layout!.names[field];
    const shown = JSON.stringify(fieldText(bytes, from, to));
    throw new DataError(`column "${name}": ${shown} ${problem}`, this.file, line, name);
  }

  private failFieldCount(found: number, line: number, lastPiece: boolean): never {
    const layout = this.layout!;
    const visibleFound = layout.roles.length === layout.visibleFields ? found : (found + 1) / 2;
    const hint = lastPiece && found < layout.roles.length ? " (truncated last line?)" : "";
    throw new DataError(
      `expected ${layout.visibleFields} fields but found ${Math.floor(visibleFound)}${hint}`,
      this.file,
      line,
    );
  }

  private growColumns(): void {
    const capacity = Math.ceil(this.rating.length * 1.5);
    const userId = new Int32Array(capacity);
    const itemId = new Int32Array(capacity);
    const rating = new Float32Array(capacity);
    const timestamp = new Int32Array(capacity);
    userId.set(this.userId);
    itemId.set(this.itemId);
    rating.set(this.rating);
    timestamp.set(this.timestamp);
    [this.userId, this.itemId, this.rating, this.timestamp] = [userId, itemId, rating, timestamp];
  }
}
