/**
 * The MovieLens loader: the three formats, the byte-level quirks it must accept (BOM, CRLF, no
 * final newline, blank lines) and the DataErrors for everything malformed.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { DataError } from "../data/data_error.ts";
import { loadMovieLens } from "../data/movielens/load.ts";
import { caught } from "./helpers/assert.ts";

const HEADER = "userId,movieId,rating,timestamp";

/** Writes `text` (or bytes) to a fresh temp file named `name`; returns its path. */
async function file(name: string, content: string | Uint8Array): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "movielens_load_test_" });
  const path = `${dir}/${name}`;
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

async function cleanup(path: string): Promise<void> {
  await Deno.remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
}

async function load(name: string, content: string, scale?: [number, number]) {
  const path = await file(name, content);
  try {
    return await loadMovieLens(path, scale ? { scale } : {});
  } finally {
    await cleanup(path);
  }
}

async function loadError(name: string, content: string, scale?: [number, number]) {
  const path = await file(name, content);
  try {
    const error = await caught(() => loadMovieLens(path, scale ? { scale } : {}));
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.equal(error.file, path);
    return error;
  } finally {
    await cleanup(path);
  }
}

const EXPECTED = {
  userId: Int32Array.from([1, 1, 610]),
  animeId: Int32Array.from([1, 3, 170875]),
  rating: Float32Array.from([4, 3.5, 0.5]),
  timestamp: Int32Array.from([964982703, 964981247, 1493846415]),
};
const CSV_TEXT = `${HEADER}\n1,1,4.0,964982703\n1,3,3.5,964981247\n610,170875,0.5,1493846415\n`;

Deno.test("loadMovieLens: ratings.csv with a header", async () => {
  assert.deepEqual(await load("ratings.csv", CSV_TEXT), EXPECTED);
});

Deno.test("loadMovieLens: u.data (tab separated, no header) and ratings.dat (::)", async () => {
  const uData = "1\t1\t4\t964982703\n1\t3\t3.5\t964981247\n610\t170875\t0.5\t1493846415\n";
  assert.deepEqual(await load("u.data", uData), {
    ...EXPECTED,
    rating: Float32Array.from([4, 3.5, 0.5]),
  });
  const dat = uData.replaceAll("\t", "::");
  assert.deepEqual(await load("ratings.dat", dat), await load("u.data", uData));
});

Deno.test("loadMovieLens: columns found by name; no timestamp column is fine", async () => {
  const text = "rating,movieId,userId\n4.0,1,1\n3.5,3,1\n0.5,170875,610\n";
  const { timestamp, ...rest } = EXPECTED;
  assert.ok(timestamp);
  assert.deepEqual(await load("ratings.csv", text), rest);
});

Deno.test("loadMovieLens: a UTF-8 BOM is stripped", async () => {
  assert.deepEqual(await load("ratings.csv", "\uFEFF" + CSV_TEXT), EXPECTED);
  const uData = "\uFEFF1\t1\t4\t964982703\n";
  assert.deepEqual((await load("u.data", uData)).userId, Int32Array.from([1]));
});

Deno.test("loadMovieLens: CRLF line endings", async () => {
  assert.deepEqual(await load("ratings.csv", CSV_TEXT.replaceAll("\n", "\r\n")), EXPECTED);
});

Deno.test("loadMovieLens: a last line without its newline, and blank lines, load fine", async () => {
  assert.deepEqual(await load("ratings.csv", CSV_TEXT.trimEnd()), EXPECTED);
  assert.deepEqual(await load("ratings.csv", CSV_TEXT.trimEnd() + "\r"), EXPECTED);
  const blanks = CSV_TEXT.replace("\n1,3", "\n\n1,3").replace(/\n$/, "\n\r\n\n");
  assert.deepEqual(await load("ratings.csv", blanks), EXPECTED);
});

Deno.test("loadMovieLens: a directory is searched for its ratings file", async () => {
  const path = await file("ratings.csv", CSV_TEXT);
  try {
    assert.deepEqual(await loadMovieLens(path.slice(0, path.lastIndexOf("/"))), EXPECTED);
  } finally {
    await cleanup(path);
  }
});

Deno.test("loadMovieLens: ratings on the declared scale, bounds included", async () => {
  const loaded = await load("ratings.csv", CSV_TEXT, [0.5, 5]);
  assert.deepEqual(loaded.rating, EXPECTED.rating);
});

Deno.test("loadMovieLens property: any ratings round-trip through all three formats", async () => {
  const row = fc.tuple(
    fc.nat({ max: 2147483647 }),
    fc.nat({ max: 2147483647 }),
    fc.integer({ min: 0, max: 100 }).map((halves) => halves / 2),
    fc.nat({ max: 2147483647 }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(row, { minLength: 1, maxLength: 60 }),
      fc.constantFrom("\n", "\r\n"),
      async (rows, eol) => {
        const expected = {
          userId: Int32Array.from(rows, (r) => r[0]),
          animeId: Int32Array.from(rows, (r) => r[1]),
          rating: Float32Array.from(rows, (r) => r[2]),
          timestamp: Int32Array.from(rows, (r) => r[3]),
        };
        const lines = (separator: string) => rows.map((r) => r.join(separator)).join(eol) + eol;
        assert.deepEqual(await load("ratings.csv", `${HEADER}${eol}${lines(",")}`), expected);
        assert.deepEqual(await load("u.data", lines("\t")), expected);
        assert.deepEqual(await load("ratings.dat", lines("::")), expected);
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("DataError: missing file", async () => {
  const error = await caught(() => loadMovieLens("/nonexistent/ml-100k/u.data"));
  assert.ok(error instanceof DataError);
  assert.equal(error.message, "/nonexistent/ml-100k/u.data: file not found");
});

Deno.test("DataError: empty file (also only a BOM, or only blank lines)", async () => {
  for (const content of ["", "\uFEFF", "\n\r\n"]) {
    const error = await loadError("ratings.csv", content);
    assert.equal(error.detail, "the file is empty");
    assert.equal(error.line, 1);
  }
});

Deno.test("DataError: a header and no ratings", async () => {
  const error = await loadError("ratings.csv", `${HEADER}\n`);
  assert.equal(error.detail, "no rating lines after the header");
});

Deno.test("DataError: a wrong header column, with did-you-mean", async () => {
  const error = await loadError("ratings.csv", "userId,movieID,rating,timestamp\n1,1,4,5\n");
  assert.equal(error.line, 1);
  assert.equal(error.field, "movieId");
  assert.equal(
    error.detail,
    'missing required column "movieId" (did you mean "movieID"?); the header has: ' +
      '"userId", "movieID", "rating", "timestamp"',
  );
  const typo = await loadError("ratings.csv", "userId,movieId,rating,timestmp\n1,1,4,5\n");
  assert.equal(typo.field, "timestamp");
});

Deno.test("DataError: a missing header line", async () => {
  const error = await loadError("ratings.csv", "1,1,4.0,964982703\n");
  assert.equal(error.line, 1);
  assert.match(
    error.detail,
    /^the first line is not a header; expected "userId,movieId,rating,timestamp"/,
  );
});

Deno.test("DataError: a non-numeric rating names its line and column", async () => {
  const text = `${HEADER}\n1,1,4.0,964982703\n\n1,3,four,964981247\n`;
  const error = await loadError("ratings.csv", text);
  assert.equal(error.line, 4);
  assert.equal(error.field, "rating");
  assert.equal(error.message, `${error.file}:4: column "rating": "four" is not a number`);
  const uData = await loadError("u.data", "1\t1\t4\t9\n2\tx\t4\t9\n");
  assert.equal(
    uData.message,
    `${uData.file}:2: column "item id": "x" is not a non-negative 32-bit integer`,
  );
});

Deno.test("DataError: a rating outside the declared scale names its line", async () => {
  const error = await loadError("u.data", "1\t1\t4\t9\r\n1\t2\t6\t9\r\n", [1, 5]);
  assert.equal(error.line, 2);
  assert.equal(error.detail, 'column "rating": "6" is outside the declared scale [1, 5]');
});

Deno.test("DataError: a truncated last line names its line; a short middle line too", async () => {
  const truncated = await loadError("ratings.csv", `${HEADER}\n1,1,4.0,964982703\n1,3,3.`);
  assert.equal(truncated.line, 3);
  assert.equal(truncated.detail, "expected 4 fields but found 3 (truncated last line?)");
  const short = await loadError("ratings.csv", `${HEADER}\n1,1\n1,3,3.5,964981247\n`);
  assert.equal(short.line, 2);
  assert.equal(short.detail, "expected 4 fields but found 2");
  const long = await loadError("ratings.dat", "1::1::4::9\n1::2::4::9::7\n");
  assert.equal(long.line, 2);
  assert.equal(long.detail, "expected 4 fields but found 5");
});

Deno.test("DataError: an empty field, a fractional id, a single colon in ratings.dat", async () => {
  const empty = await loadError("ratings.csv", `${HEADER}\n1,1,,964982703\n`);
  assert.equal(empty.detail, 'column "rating": "" is not a number');
  const fractional = await loadError("ratings.csv", `${HEADER}\n1.5,1,4,964982703\n`);
  assert.equal(fractional.detail, 'column "userId": "1.5" is not a non-negative 32-bit integer');
  const colon = await loadError("ratings.dat", "1::1::4::9\n1::2:4::9\n");
  assert.equal(colon.line, 2);
});

Deno.test("loadMovieLens: scale must be a valid interval", async () => {
  const error = await caught(() => load("ratings.csv", CSV_TEXT, [5, 1]));
  assert.ok(error instanceof Error && !(error instanceof DataError));
  assert.match(error.message, /rating scale must be \[min, max\]/);
});

Deno.test("loadMovieLens: lines split across the 8 MB reads are joined correctly", async () => {
  // A block of 997 distinct lines (a prime count, so read boundaries fall at varying places
  // within it) repeated to ~9 MB; a dropped, doubled or mangled line shifts what follows.
  const blockLines = 997;
  const repeats = 320;
  const block: string[] = [];
  const one = { userId: [] as number[], animeId: [] as number[], rating: [] as number[] };
  const timestamps: number[] = [];
  for (let i = 0; i < blockLines; i++) {
    one.userId.push(100_000 + i * 13);
    one.animeId.push(1 + i * 211);
    one.rating.push(0.5 + (i % 10) / 2);
    timestamps.push(1_000_000_000 + i * 37_117);
    block.push(`${one.userId[i]},${one.animeId[i]},${one.rating[i]},${timestamps[i]}\n`);
  }
  const tile = (values: number[], into: Int32Array | Float32Array) => {
    for (let r = 0; r < repeats; r++) into.set(values, r * blockLines);
    return into;
  };
  const n = blockLines * repeats;
  const expected = {
    userId: tile(one.userId, new Int32Array(n)),
    animeId: tile(one.animeId, new Int32Array(n)),
    rating: tile(one.rating, new Float32Array(n)),
    timestamp: tile(timestamps, new Int32Array(n)),
  };
  const text = `${HEADER}\n${block.join("").repeat(repeats)}`;
  assert.ok(text.length > 8 << 20);
  assert.deepEqual(await load("ratings.csv", text), expected);
});
