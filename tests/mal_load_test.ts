/**
 * The MyAnimeList loader on small hand-written files with the Kaggle headers and the real
 * quirks (RFC 4180 quoting, multi-line synopses, UNKNOWN scores), and its DataErrors.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { DataError } from "../data/data_error.ts";
import {
  ANIME_DATASET_COLUMNS,
  FINAL_ANIMEDATASET_COLUMNS,
  MAL_FILES,
  MISSING_SYNOPSIS,
  USERS_SCORE_COLUMNS,
} from "../data/mal/columns.ts";
import { loadMalDirectory } from "../data/mal/load.ts";
import { duckDbErrorToDataError } from "../data/duckdb_csv.ts";
import { caught } from "./helpers/assert.ts";

type Cell = string | number;

/** RFC 4180 as pandas writes it: quote fields holding a comma, quote or newline; double quotes. */
function csv(header: readonly string[], rows: Cell[][], eol = "\n"): string {
  const cell = (value: Cell) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(",")).join(eol) + eol;
}

/** A full 24-column anime row; only the columns the loader reads vary. */
function animeRow(id: Cell, name: string, score: string, synopsis: string): Cell[] {
  const row: Cell[] = ANIME_DATASET_COLUMNS.map(() => "UNKNOWN");
  row[0] = id;
  row[1] = name;
  row[4] = score;
  row[5] = "Action, Adventure";
  row[6] = synopsis;
  row[9] = "Apr 3, 1998 to Apr 24, 1999";
  return row;
}

function finalRow(user: Cell, anime: Cell, myScore: Cell): Cell[] {
  // username, anime_id, my_score, user_id, gender, title, type, source, score, scored_by, ...
  return [`u${user}`, anime, myScore, user, "Male", "Title, with comma", "TV", "Manga", 8.5, 100]
    .concat([10, 20, "Action, Drama"]);
}

const SYNOPSIS_WITH_QUIRKS = 'Spike said "Bang," then left.\nA second paragraph, with commas.';

const ANIME_ROWS: Cell[][] = [
  animeRow(1, "Cowboy Bebop", "8.75", SYNOPSIS_WITH_QUIRKS),
  animeRow(5, 'Name "quoted", here', "UNKNOWN", MISSING_SYNOPSIS),
  animeRow(6, "Trigun", "8.38", ""),
];

const RATINGS_2023: Cell[][] = [
  [7, "Alice", 5, "Cowboy Bebop: Tengoku no Tobira", 9],
  [3, "Bob, Jr.", 1, 'Title "with" quotes, and comma', 10],
  [7, "Alice", 1, "Cowboy Bebop", 8],
];

const RATINGS_2018: Cell[][] = [finalRow(20, 6, 7), finalRow(20, 1, 0), finalRow(4, 5, 10)];

async function malDir(files: Partial<Record<keyof typeof MAL_FILES, string>>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mal_load_test_" });
  for (const [key, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${MAL_FILES[key as keyof typeof MAL_FILES]}`, text);
  }
  return dir;
}

function standardFiles() {
  return {
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, RATINGS_2023),
    ratings2018: csv(FINAL_ANIMEDATASET_COLUMNS, RATINGS_2018),
  };
}

/** Loads `files` and returns the DataError it must raise. */
async function loadError(
  files: Partial<Record<keyof typeof MAL_FILES, string>>,
  only?: Array<"ratings2023" | "ratings2018">,
  scale?: [number, number],
): Promise<DataError> {
  const dir = await malDir(files);
  try {
    const error = await caught(() =>
      loadMalDirectory(dir, { ...(only ? { files: only } : {}), ...(scale ? { scale } : {}) })
    );
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    return error;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadMalDirectory: items, both rating files, file order, original ids", async () => {
  const dir = await malDir(standardFiles());
  try {
    const progress: string[] = [];
    const data = await loadMalDirectory(dir, { onProgress: (m) => progress.push(m) });
    assert.deepEqual(data.items.animeId, Int32Array.from([1, 5, 6]));
    assert.deepEqual(Array.from(data.items.score), [Math.fround(8.75), NaN, Math.fround(8.38)]);
    assert.deepEqual(data.items.name, ["Cowboy Bebop", 'Name "quoted", here', "Trigun"]);
    assert.deepEqual(data.items.synopsis, [SYNOPSIS_WITH_QUIRKS, MISSING_SYNOPSIS, ""]);
    assert.deepEqual(data.ratings2023, {
      userId: Int32Array.from([7, 3, 7]),
      animeId: Int32Array.from([5, 1, 1]),
      rating: Float32Array.from([9, 10, 8]),
    });
    // my_score 0 ("not scored") is kept here; cleaning drops it.
    assert.deepEqual(data.ratings2018, {
      userId: Int32Array.from([20, 20, 4]),
      animeId: Int32Array.from([6, 1, 5]),
      rating: Float32Array.from([7, 0, 10]),
    });
    assert.deepEqual(data.counts, {
      items: 3,
      itemsUnknownScore: 1,
      ratings2023: 3,
      ratings2023Missing: 0,
      ratings2018: 3,
      ratings2018Missing: 0,
    });
    assert.equal(progress.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadMalDirectory: files option reads only what is asked; others may be absent", async () => {
  const { items, ratings2023 } = standardFiles();
  const dir = await malDir({ items, ratings2023 });
  try {
    const data = await loadMalDirectory(dir, { files: ["ratings2023"] });
    assert.equal(data.ratings2018, undefined);
    assert.deepEqual(data.ratings2023?.userId, Int32Array.from([7, 3, 7]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadMalDirectory: UTF-8 BOM and CRLF line endings load the same", async () => {
  const files = {
    items: "\uFEFF" + csv(ANIME_DATASET_COLUMNS, ANIME_ROWS, "\r\n"),
    ratings2023: "\uFEFF" + csv(USERS_SCORE_COLUMNS, RATINGS_2023, "\r\n"),
  };
  const dir = await malDir(files);
  try {
    const data = await loadMalDirectory(dir, { files: ["ratings2023"] });
    assert.deepEqual(data.items.animeId, Int32Array.from([1, 5, 6]));
    // The newline inside the quoted synopsis is data and stays as written.
    assert.equal(data.items.synopsis[0], SYNOPSIS_WITH_QUIRKS);
    assert.deepEqual(data.ratings2023?.rating, Float32Array.from([9, 10, 8]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadMalDirectory: an empty rating field is NaN (dropped as missing later)", async () => {
  const rows: Cell[][] = [[1, "a", 5, "t", 8], [2, "b", 6, "t", ""], [3, "c", "", "t", 7]];
  const dir = await malDir({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, rows),
  });
  try {
    const data = await loadMalDirectory(dir, { files: ["ratings2023"] });
    assert.deepEqual(Array.from(data.ratings2023!.rating), [8, NaN, NaN]);
    assert.deepEqual(data.ratings2023!.animeId, Int32Array.from([5, 6, -1]));
    assert.equal(data.counts.ratings2023Missing, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadMalDirectory property: any titles and ratings come back in file order", async () => {
  const text = fc.string({ unit: fc.constantFrom("a", "Z", ",", '"', "\n", " ", "é", ";") });
  const row = fc.tuple(fc.nat({ max: 2_000_000 }), text, fc.nat({ max: 60_000 }), text)
    .chain(([user, name, anime, title]) =>
      fc.integer({ min: 1, max: 10 }).map((rating) => [user, name, anime, title, rating])
    );
  await fc.assert(
    fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
      const dir = await malDir({
        items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
        ratings2023: csv(USERS_SCORE_COLUMNS, rows as Cell[][]),
      });
      try {
        const { ratings2023 } = await loadMalDirectory(dir, { files: ["ratings2023"] });
        assert.deepEqual(ratings2023?.userId, Int32Array.from(rows, (r) => r[0] as number));
        assert.deepEqual(ratings2023?.animeId, Int32Array.from(rows, (r) => r[2] as number));
        assert.deepEqual(ratings2023?.rating, Float32Array.from(rows, (r) => r[4] as number));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }),
    { numRuns: 12 },
  );
});

Deno.test("DataError: data.dir does not exist", async () => {
  const error = await caught(() => loadMalDirectory("/nonexistent/mal-2023"));
  assert.ok(error instanceof DataError);
  assert.equal(error.file, "/nonexistent/mal-2023");
  assert.equal(error.field, "data.dir");
  assert.match(error.message, /^\/nonexistent\/mal-2023: data directory not found/);
});

Deno.test("DataError: a missing file is named, with what was found and a did-you-mean", async () => {
  const { items } = standardFiles();
  const dir = await malDir({ items });
  await Deno.writeTextFile(`${dir}/users-score-2023 (1).csv`, "x\n");
  try {
    const error = await caught(() => loadMalDirectory(dir));
    assert.ok(error instanceof DataError);
    assert.equal(error.field, "data.dir");
    assert.equal(
      error.message,
      `${dir}: missing "users-score-2023.csv" (did you mean "users-score-2023 (1).csv"?), ` +
        `"final_animedataset.csv"; found: anime-dataset-2023.csv, users-score-2023 (1).csv`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DataError: a missing column is named, with the header found and a did-you-mean", async () => {
  const header = USERS_SCORE_COLUMNS.map((name) => name === "rating" ? "ratings" : name);
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(header, RATINGS_2023),
  }, ["ratings2023"]);
  assert.equal(error.line, 1);
  assert.equal(error.field, "rating");
  assert.match(error.file, /users-score-2023\.csv$/);
  assert.equal(
    error.detail,
    'missing required column "rating" (did you mean "ratings"?); the header has: ' +
      '"user_id", "Username", "anime_id", "Anime Title", "ratings"',
  );
  assert.ok(error.message.startsWith(`${error.file}:1: `));
});

Deno.test("DataError: a non-numeric rating names the physical line after a multi-line record", async () => {
  const rows: Cell[][] = [
    [1, "a", 5, "Two-line\ntitle", 8], // lines 2-3
    [2, "b", 6, "ok", 9], // line 4
    [3, "c", 7, "ok", "nine"], // line 5
  ];
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, rows),
  }, ["ratings2023"]);
  assert.equal(error.line, 5);
  assert.equal(error.field, "rating");
  assert.equal(error.detail, 'column "rating": "nine" is not a number');
  assert.match(error.message, /users-score-2023\.csv:5: column "rating"/);
});

Deno.test("DataError: a non-numeric my_score in final_animedataset.csv", async () => {
  const rows = [finalRow(1, 5, 8), finalRow(1, 6, "N/A")];
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2018: csv(FINAL_ANIMEDATASET_COLUMNS, rows),
  }, ["ratings2018"]);
  assert.equal(error.line, 3);
  assert.equal(error.field, "my_score");
  assert.match(error.file, /final_animedataset\.csv$/);
});

Deno.test("DataError: a fractional id is refused (DuckDB's INTEGER cast would round it)", async () => {
  const rows: Cell[][] = [[1, "a\nb", 5, "t", 8], [2.5, "b", 6, "t", 9]];
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, rows),
  }, ["ratings2023"]);
  assert.equal(error.line, 4);
  assert.equal(error.field, "user_id");
  assert.equal(error.detail, 'column "user_id": 2.5 is not an integer id');
});

Deno.test("DataError: a Score that is neither a number nor UNKNOWN", async () => {
  const rows = [...ANIME_ROWS, animeRow(9, "X", "N/A", "text")];
  const error = await loadError({ items: csv(ANIME_DATASET_COLUMNS, rows) }, []);
  // Header on line 1, the first synopsis spans lines 2-3, then lines 4, 5 and 6.
  assert.equal(error.line, 6);
  assert.equal(error.field, "Score");
  assert.equal(error.detail, 'column "Score": "N/A" is neither a number nor UNKNOWN');
});

Deno.test("DataError: a truncated row names its line and the field counts", async () => {
  const text = csv(USERS_SCORE_COLUMNS, RATINGS_2023) + "8,Carol,5\n";
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: text,
  }, ["ratings2023"]);
  assert.equal(error.line, 5);
  assert.equal(error.detail, "expected 5 fields but found 3 (truncated or malformed row)");
});

Deno.test("DataError: an unclosed quote names the line where the field starts", async () => {
  const text = csv(USERS_SCORE_COLUMNS, RATINGS_2023) + '8,Carol,5,"Open title,7\n9,D,5,t,7\n';
  const error = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: text,
  }, ["ratings2023"]);
  assert.equal(error.line, 5);
  assert.match(error.detail, /unterminated quote/);
});

Deno.test("DataError: an empty file and a header-only file", async () => {
  const empty = await loadError({ items: "" }, []);
  assert.equal(empty.detail, "the file is empty");
  assert.equal(empty.line, 1);
  const headerOnly = await loadError({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, []),
  }, ["ratings2023"]);
  assert.equal(headerOnly.detail, "the file has a header but no rows");
  assert.match(headerOnly.file, /users-score-2023\.csv$/);
});

Deno.test("DataError: DuckDB's record number is reported as a row when its line cannot be verified", async () => {
  const dir = await malDir({ ratings2023: csv(USERS_SCORE_COLUMNS, RATINGS_2023) });
  const path = `${dir}/${MAL_FILES.ratings2023}`;
  try {
    const duckDbMessage = "Conversion Error: CSV Error on Line: 3\nOriginal Line: 9,zz,1,q,x\n" +
      `Error when converting column "rating". Could not convert string "x" to 'FLOAT'`;
    const error = await duckDbErrorToDataError(new Error(duckDbMessage), path);
    assert.equal(error.line, undefined);
    assert.equal(error.field, "rating");
    assert.equal(
      error.message,
      `${path}: column "rating": "x" is not a number (row 2 after the header, as counted by DuckDB)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const OUT_OF_SCALE: Array<{ file: "ratings2023" | "ratings2018"; value: number; shown: string }> = [
  { file: "ratings2023", value: 11, shown: "11" },
  { file: "ratings2023", value: -3, shown: "-3" },
  { file: "ratings2023", value: 0, shown: "0" },
  { file: "ratings2018", value: 11, shown: "11" },
  { file: "ratings2018", value: 0.5, shown: "0.5" },
];
for (const { file, value, shown } of OUT_OF_SCALE) {
  Deno.test(`DataError: ${file} rating ${shown} outside [1, 10] names file, line and field`, async () => {
    const text = file === "ratings2023"
      ? csv(USERS_SCORE_COLUMNS, [...RATINGS_2023, [8, "Carol", 5, "t", value]])
      : csv(FINAL_ANIMEDATASET_COLUMNS, [...RATINGS_2018, finalRow(8, 5, value)]);
    const error = await loadError({ items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS), [file]: text }, [
      file,
    ], [1, 10]);
    const column = file === "ratings2023" ? "rating" : "my_score";
    assert.equal(error.line, 5);
    assert.equal(error.field, column);
    assert.match(error.file, new RegExp(`${MAL_FILES[file].replace(".", "\\.")}$`));
    assert.match(
      error.detail,
      new RegExp(`column "${column}": ${shown} is outside the rating scale`),
    );
    assert.match(error.detail, /data\.rating_scale/);
  });
}

Deno.test("loadMalDirectory: my_score 0 (not scored) and ratings inside the scale are accepted", async () => {
  const dir = await malDir({
    items: csv(ANIME_DATASET_COLUMNS, ANIME_ROWS),
    ratings2023: csv(USERS_SCORE_COLUMNS, [...RATINGS_2023, [8, "Carol", 5, "t", 7.5]]),
    ratings2018: csv(FINAL_ANIMEDATASET_COLUMNS, [...RATINGS_2018, finalRow(8, 5, 1)]),
  });
  try {
    const data = await loadMalDirectory(dir, { scale: [1, 10] });
    assert.deepEqual(data.ratings2023?.rating, Float32Array.from([9, 10, 8, 7.5]));
    assert.deepEqual(data.ratings2018?.rating, Float32Array.from([7, 0, 10, 1]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
