/**
 * Loads the MyAnimeList 2023 Kaggle files the study uses, columnar: only the needed columns,
 * straight into typed arrays (no per-row objects), rows in file order, original ids.
 * Cleaning (drop missing, rating > 0, synopsis length, dense ids) happens in a later step.
 */
import type { DuckDBConnection, DuckDBMaterializedResult } from "@duckdb/node-api";
import { DataError, didYouMean } from "../data_error.ts";
import { readCsvHeader } from "../csv_text.ts";
import { type ItemFeatures, parseFeatureLists } from "../item_features.ts";
import { dataRowError, openDuckDb, requireColumns, selectCsvColumns } from "../duckdb_csv.ts";
import type { RawRatings } from "../raw_ratings.ts";
import { MAL_FILES, type MalFileKey, UNKNOWN_SCORE } from "./columns.ts";

export type { RawRatings } from "../raw_ratings.ts";

export interface MalItems {
  animeId: Int32Array;
  /** NaN for `UNKNOWN` or an empty field */
  score: Float32Array;
  /** as in the file (the placeholder text included); "" for an empty field */
  synopsis: string[];
  /** "" for an empty field */
  name: string[];
  /** genre ids per item row (the `Genres` column; UNKNOWN: none); absent without the column */
  genres?: ItemFeatures;
  /** the `Type` (TV, Movie, ...) and `Studios` columns alike, for item-feature models */
  type?: ItemFeatures;
  studios?: ItemFeatures;
}

/** Optional list columns of the items file and where MalItems keeps them. */
const LIST_COLUMNS = [["Genres", "genres"], ["Type", "type"], ["Studios", "studios"]] as const;

export type MalRatingsFile = "ratings2023" | "ratings2018";

export interface MalLoadOptions {
  /** rating files to read besides the items; default both, as the study stacks them */
  files?: MalRatingsFile[];
  /**
   * inclusive [min, max] of the ratings (`data.rating_scale`): a rating outside it is a
   * DataError naming file and line, except a file's "not scored" marker (my_score 0)
   */
  scale?: [number, number];
  onProgress?: (message: string) => void;
}

export interface MalData {
  items: MalItems;
  /** users-score-2023.csv: user_id, anime_id, rating */
  ratings2023?: RawRatings;
  /** final_animedataset.csv: user_id, anime_id, my_score as rating (0 = not scored, kept) */
  ratings2018?: RawRatings;
  /** rows read, and rows with a missing value, per file key */
  counts: Record<string, number>;
}

/** How a rating file is read: its columns in the RawRatings roles, and its special values. */
interface RatingColumns {
  user: string;
  item: string;
  rating: string;
  /** a value outside the scale that means "no rating" (cleaning drops it) */
  notScored?: number;
}

const RATING_COLUMNS: Record<MalRatingsFile, RatingColumns> = {
  ratings2023: { user: "user_id", item: "anime_id", rating: "rating" },
  ratings2018: { user: "user_id", item: "anime_id", rating: "my_score", notScored: 0 },
};

/**
 * Reads `anime-dataset-2023.csv` and the requested rating files from `dir`.
 *
 * A missing value in a rating row (empty field) gives rating NaN, and id -1 for a missing id,
 * so the cleaning step's "drop missing" removes the row as pandas' dropna did; anything that is
 * present but not a number (or a non-integer id) is a DataError naming file, line and column.
 */
export async function loadMalDirectory(
  dir: string,
  options: MalLoadOptions = {},
): Promise<MalData> {
  const ratingFiles = options.files ?? ["ratings2023", "ratings2018"];
  const progress = options.onProgress ?? (() => {});
  const paths = await resolveMalFiles(dir, ["items", ...ratingFiles]);
  const session = await openDuckDb();
  try {
    const counts: Record<string, number> = {};
    const started = performance.now();
    const items = await readItems(session.connection, paths.items);
    counts.items = items.animeId.length;
    counts.itemsUnknownScore = countNaN(items.score);
    progress(`${MAL_FILES.items}: ${counts.items} anime in ${seconds(started)}`);
    const data: MalData = { items, counts };
    for (const key of ratingFiles) {
      const fileStarted = performance.now();
      const ratings = await readRatings(
        session.connection,
        paths[key],
        RATING_COLUMNS[key],
        options.scale,
      );
      data[key] = ratings;
      counts[key] = ratings.rating.length;
      counts[`${key}Missing`] = countNaN(ratings.rating);
      progress(`${MAL_FILES[key]}: ${counts[key]} ratings in ${seconds(fileStarted)}`);
    }
    return data;
  } finally {
    session.close();
  }
}

/** Paths of the wanted files; a DataError listing what is missing and what was found. */
async function resolveMalFiles(
  dir: string,
  keys: MalFileKey[],
): Promise<Record<MalFileKey, string>> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DataError("data directory not found (data.dir)", dir, undefined, "data.dir");
    }
    if (error instanceof Deno.errors.NotADirectory) {
      throw new DataError("data.dir is not a directory", dir, undefined, "data.dir");
    }
    throw error;
  }
  found.sort();
  const missing = keys.map((key) => MAL_FILES[key]).filter((name) => !found.includes(name));
  if (missing.length > 0) {
    const wanted = missing.map((name) => `"${name}"${didYouMean(name, found)}`).join(", ");
    const listing = found.length === 0 ? "the directory is empty" : `found: ${found.join(", ")}`;
    throw new DataError(`missing ${wanted}; ${listing}`, dir, undefined, "data.dir");
  }
  const paths = {} as Record<MalFileKey, string>;
  for (const key of keys) paths[key] = `${dir.replace(/\/+$/, "")}/${MAL_FILES[key]}`;
  return paths;
}

async function readItems(
  connection: DuckDBConnection,
  path: string,
): Promise<MalItems> {
  const header = await readCsvHeader(path);
  requireColumns(path, header, ["anime_id", "Name", "Score", "Synopsis"]);
  // Optional: only the diversity metric and the text ridge read them.
  const lists = LIST_COLUMNS.filter(([column]) => header.includes(column));
  const result = await selectCsvColumns(connection, path, header, {
    anime_id: "DOUBLE",
    Name: "VARCHAR",
    Score: "VARCHAR",
    Synopsis: "VARCHAR",
    ...Object.fromEntries(lists.map(([column]) => [column, "VARCHAR" as const])),
  });
  requireRows(result, path);
  const n = result.rowCount;
  const items: MalItems = {
    animeId: new Int32Array(n),
    score: new Float32Array(n),
    synopsis: new Array<string>(n),
    name: new Array<string>(n),
  };
  const listTexts = lists.map(() => new Array<string>(n));
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const ids = chunk.getColumnVector(0);
    const names = chunk.getColumnVector(1);
    const scores = chunk.getColumnVector(2);
    const synopses = chunk.getColumnVector(3);
    const listVectors = lists.map((_, l) => chunk.getColumnVector(4 + l));
    for (let i = 0; i < chunk.rowCount; i++, row++) {
      const id = ids.getItem(i) as number | null;
      if (id === null || !isInt32(id)) {
        const shown = id === null ? "an empty anime_id" : `anime_id ${id} is not an integer id`;
        throw await dataRowError(path, row, `column "anime_id": ${shown}`, "anime_id");
      }
      const score = parseScore(scores.getItem(i) as string | null);
      if (score === undefined) {
        const shown = JSON.stringify(scores.getItem(i));
        const message = `column "Score": ${shown} is neither a number nor ${UNKNOWN_SCORE}`;
        throw await dataRowError(path, row, message, "Score");
      }
      items.animeId[row] = id;
      items.score[row] = score;
      items.name[row] = (names.getItem(i) as string | null) ?? "";
      items.synopsis[row] = (synopses.getItem(i) as string | null) ?? "";
      for (let l = 0; l < lists.length; l++) {
        listTexts[l][row] = (listVectors[l].getItem(i) as string | null) ?? "";
      }
    }
  }
  lists.forEach(([, key], l) => (items[key] = parseFeatureLists(listTexts[l])));
  return items;
}

/** NaN for UNKNOWN or empty; undefined for anything else that is not a plain decimal number. */
function parseScore(text: string | null): number | undefined {
  if (text === null) return NaN;
  const trimmed = text.trim();
  if (trimmed === UNKNOWN_SCORE || trimmed === "") return NaN;
  // Number() alone would accept "0x1A", "Infinity" and " ".
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

async function readRatings(
  connection: DuckDBConnection,
  path: string,
  roles: RatingColumns,
  scale: [number, number] = [-Infinity, Infinity],
): Promise<RawRatings> {
  // Ratings arrive as float32: compare with the bounds as float32 too (4.9 is not 4.9f).
  const [min, max] = scale.map(Math.fround);
  const header = await readCsvHeader(path);
  requireColumns(path, header, [roles.user, roles.item, roles.rating]);
  // Ids are read as DOUBLE and checked here: DuckDB's INTEGER cast would round "1.5" silently.
  const result = await selectCsvColumns(connection, path, header, {
    [roles.user]: "DOUBLE",
    [roles.item]: "DOUBLE",
    [roles.rating]: "FLOAT",
  });
  requireRows(result, path);
  const n = result.rowCount;
  const ratings: RawRatings = {
    userId: new Int32Array(n),
    animeId: new Int32Array(n),
    rating: new Float32Array(n),
  };
  const { userId, animeId, rating } = ratings;
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const users = chunk.getColumnVector(0);
    const items = chunk.getColumnVector(1);
    const values = chunk.getColumnVector(2);
    for (let i = 0; i < chunk.rowCount; i++, row++) {
      const user = users.getItem(i) as number | null;
      const item = items.getItem(i) as number | null;
      const value = values.getItem(i) as number | null;
      if (user !== null && !isInt32(user)) {
        throw await badId(path, row, roles.user, user);
      }
      if (item !== null && !isInt32(item)) {
        throw await badId(path, row, roles.item, item);
      }
      if (value !== null && !Number.isFinite(value)) {
        const message = `column "${roles.rating}": ${value} is not a finite rating`;
        throw await dataRowError(path, row, message, roles.rating);
      }
      if (value !== null && (value < min || value > max) && value !== roles.notScored) {
        throw await outOfScale(path, row, roles, value, scale);
      }
      const complete = user !== null && item !== null && value !== null;
      userId[row] = user ?? -1;
      animeId[row] = item ?? -1;
      rating[row] = complete ? value : NaN;
    }
  }
  return ratings;
}

function outOfScale(
  path: string,
  row: number,
  roles: RatingColumns,
  value: number,
  [min, max]: [number, number],
): Promise<DataError> {
  const marker = roles.notScored === undefined
    ? ""
    : ` (${roles.notScored} means "not scored" and is allowed)`;
  // float32 as read: 7 significant digits say what the file holds.
  const message =
    `column "${roles.rating}": ${+value.toPrecision(7)} is outside the rating scale ` +
    `[${min}, ${max}] (data.rating_scale)${marker}`;
  return dataRowError(path, row, message, roles.rating);
}

function badId(path: string, row: number, column: string, value: number): Promise<DataError> {
  return dataRowError(path, row, `column "${column}": ${value} is not an integer id`, column);
}

function requireRows(result: DuckDBMaterializedResult, path: string): void {
  if (result.rowCount === 0) throw new DataError("the file has a header but no rows", path, 2);
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

function countNaN(values: Float32Array): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) count++;
  return count;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
