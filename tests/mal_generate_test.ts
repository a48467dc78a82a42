/**
 * The embedded MAL dataset generator at tiny scale: exact names and headers, RFC 4180 output
 * that DuckDB (the production loader) parses strictly, the real dump's quirks, rating
 * statistics, long-tailed popularity, signal in Score and synopses, and byte-identical output
 * for a seed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import {
  ANIME_DATASET_COLUMNS,
  FINAL_ANIMEDATASET_COLUMNS,
  MISSING_SYNOPSIS,
  USERS_SCORE_COLUMNS,
} from "../data/mal/columns.ts";
import { type GeneratedSummary, generateMalDataset, MAL_FILES } from "../data/mal/generate.ts";
import { csvRow } from "../data/mal/generate/csv_writer.ts";
import { buildAliasTable, kthSmallest } from "../data/mal/generate/item_sampler.ts";
import { calibrateOffset, clipRating } from "../data/mal/generate/rating_model.ts";
import { caught } from "./helpers/assert.ts";

/** Independent RFC 4180 reader: records of fields, quotes doubled inside quoted fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') {
      assert.equal(field, "", `quote inside an unquoted field at offset ${i}`);
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += c;
    }
    i++;
  }
  assert.equal(quoted, false, "unterminated quoted field");
  assert.equal(field === "" && record.length === 0, true, "last record lacks its newline");
  return records;
}

interface Parsed {
  summary: GeneratedSummary;
  anime: Record<string, string>[];
  ratings2023: { user: number; anime: number; rating: number; username: string }[];
  ratings2018: { user: number; anime: number; score: number; username: string }[];
}

function readTable(path: string, header: readonly string[]): string[][] {
  const [head, ...rows] = parseCsv(Deno.readTextFileSync(path));
  assert.deepEqual(head, [...header], `header of ${path}`);
  rows.forEach((row, r) => assert.equal(row.length, header.length, `${path} row ${r + 1}`));
  return rows;
}

let tiny: Promise<{ dir: string; parsed: Parsed }> | undefined;

/** Generates the tiny dataset once for all tests in this file. */
function tinyDataset(): Promise<{ dir: string; parsed: Parsed }> {
  tiny ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "mal_generate_test_" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const summary = await generateMalDataset(dir, { scale: "tiny", seed: 42 });
    const anime = readTable(summary.files.anime, ANIME_DATASET_COLUMNS).map((row) =>
      Object.fromEntries(ANIME_DATASET_COLUMNS.map((name, k) => [name, row[k]]))
    );
    const ratings2023 = readTable(summary.files.ratings2023, USERS_SCORE_COLUMNS).map((r) => ({
      user: Number(r[0]),
      username: r[1],
      anime: Number(r[2]),
      rating: Number(r[4]),
    }));
    const ratings2018 = readTable(summary.files.ratings2018, FINAL_ANIMEDATASET_COLUMNS).map((
      r,
    ) => ({ username: r[0], anime: Number(r[1]), score: Number(r[2]), user: Number(r[3]) }));
    return { dir, parsed: { summary, anime, ratings2023, ratings2018 } };
  })();
  return tiny;
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

function correlation(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

Deno.test("generated files carry the Kaggle names, exact headers and the summary's counts", async () => {
  const { dir, parsed } = await tinyDataset();
  const { summary } = parsed;
  assert.deepEqual(Object.keys(summary.files).sort(), ["anime", "ratings2018", "ratings2023"]);
  for (const [key, name] of Object.entries(MAL_FILES)) {
    assert.equal(summary.files[key], join(await Deno.realPath(dir), name));
  }
  assert.deepEqual(MAL_FILES, {
    anime: "anime-dataset-2023.csv",
    ratings2023: "users-score-2023.csv",
    ratings2018: "final_animedataset.csv",
  });
  // No temporary file is left behind.
  const names = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  assert.deepEqual(names, Object.values(MAL_FILES).sort());
  const firstLine = (path: string) => Deno.readTextFileSync(path).split("\n", 1)[0];
  assert.equal(firstLine(summary.files.anime), ANIME_DATASET_COLUMNS.join(","));
  assert.equal(
    firstLine(summary.files.ratings2023),
    "user_id,Username,anime_id,Anime Title,rating",
  );
  assert.equal(
    firstLine(summary.files.ratings2018),
    "username,anime_id,my_score,user_id,gender,title,type,source,score,scored_by,rank,popularity,genre",
  );
  assert.equal(parsed.anime.length, summary.anime);
  assert.equal(parsed.ratings2023.length, summary.ratings2023);
  assert.equal(parsed.ratings2018.length, summary.ratings2018);
  const users = new Set([...parsed.ratings2023, ...parsed.ratings2018].map((r) => r.user));
  assert.equal(users.size, summary.users);
  assert.equal(new Set(parsed.ratings2023.map((r) => r.user)).size, summary.users2023);
  assert.equal(new Set(parsed.ratings2018.map((r) => r.user)).size, summary.users2018);
  // tiny scale: ~200 anime, ~300 users, 5-10k ratings in 2023, a few thousand in 2018
  assert.ok(summary.anime >= 150 && summary.anime <= 250);
  assert.ok(summary.users2023 >= 200 && summary.users2023 <= 400);
  assert.ok(summary.ratings2023 >= 5_000 && summary.ratings2023 <= 10_000);
  assert.ok(summary.ratings2018 >= 1_000 && summary.ratings2018 <= 5_000);
});

Deno.test("DuckDB reads every file strictly with RFC 4180 quoting, row counts matching", async () => {
  const { parsed } = await tinyDataset();
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    for (const [key, width] of [["anime", 24], ["ratings2023", 5], ["ratings2018", 13]] as const) {
      const path = parsed.summary.files[key];
      const result = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_csv('${path}', header = true, quote = '"', ` +
          `escape = '"', strict_mode = true, all_varchar = true)`,
      );
      assert.equal(result.getRowObjects()[0].n, parsed.summary[key === "anime" ? "anime" : key]);
      const columns = await connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_csv('${path}', header = true, quote = '"', escape = '"', ` +
          `strict_mode = true, all_varchar = true)`,
      );
      assert.equal(columns.getRowObjects().length, width, key);
    }
    // Multi-line synopses come back intact, byte for byte.
    const multiLine = parsed.anime.find((row) => row.Synopsis.includes("\n"))!;
    const result = await connection.runAndReadAll(
      `SELECT "Synopsis" FROM read_csv('${parsed.summary.files.anime}', header = true, ` +
        `quote = '"', escape = '"', strict_mode = true, all_varchar = true) ` +
        `WHERE anime_id = '${multiLine.anime_id}'`,
    );
    assert.equal(result.getRowObjects()[0].Synopsis, multiLine.Synopsis);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});

Deno.test("the anime file has the real dump's quirks", async () => {
  const { anime } = (await tinyDataset()).parsed;
  const share = (keep: (row: Record<string, string>) => boolean) =>
    anime.filter(keep).length / anime.length;
  const unknown = share((row) => row.Score === "UNKNOWN");
  assert.ok(unknown >= 0.1 && unknown <= 0.35, `UNKNOWN score share ${unknown}`);
  for (const row of anime) {
    if (row.Score !== "UNKNOWN") assert.match(row.Score, /^\d\.\d\d$/, `Score of ${row.anime_id}`);
    assert.match(row.anime_id, /^\d+$/);
  }
  const ids = anime.map((row) => Number(row.anime_id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "anime ids ascend");
  assert.equal(new Set(ids).size, ids.length, "anime ids are unique");

  const synopses = anime.map((row) => row.Synopsis);
  const described = synopses.filter((s) => s !== MISSING_SYNOPSIS);
  assert.ok(synopses.includes(MISSING_SYNOPSIS), "placeholder synopsis");
  assert.ok(described.some((s) => s.length < 30), "a synopsis shorter than 30 characters");
  assert.ok(described.some((s) => s.length > 2000), "a synopsis longer than 2000 characters");
  assert.ok(synopses.some((s) => s.includes("\n")), "a synopsis with a line break");
  assert.ok(synopses.some((s) => s.includes('"')), "a synopsis with a double quote");
  assert.ok(synopses.some((s) => s.includes(",")), "a synopsis with a comma");
  const lengths = described.map((s) => s.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)];
  assert.ok(median >= 200 && median <= 1200, `median synopsis length ${median}`);
  const inRange = lengths.filter((n) => n >= 200 && n <= 1200).length / lengths.length;
  assert.ok(inRange > 0.6, `share of synopses with 200-1200 characters: ${inRange}`);
  // Few synopses fall outside the study's 30..2000 filter: it should not empty the catalogue.
  const filtered = lengths.filter((n) => n < 30 || n > 2000).length / lengths.length;
  assert.ok(filtered < 0.1, `share outside 30..2000: ${filtered}`);

  assert.ok(anime.some((row) => row.Name.includes('"')), "a title with a double quote");
  assert.ok(anime.some((row) => row.Name.includes(",")), "a title with a comma");
  assert.ok(anime.some((row) => /[À-ÿ]/.test(row.Name)), "a title with an accented letter");
  const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
  assert.ok(share((row) => japanese.test(row["Other name"])) > 0.8, "kana/kanji other names");
});

Deno.test("ratings: integers 1..10 with the dump's mean and spread, distinct pairs per file", async () => {
  const { ratings2023, ratings2018 } = (await tinyDataset()).parsed;
  const values = ratings2023.map((r) => r.rating);
  assert.ok(values.every((v) => Number.isInteger(v) && v >= 1 && v <= 10));
  // Real users-score-2023: mean 7.62, sd 1.66.
  assert.ok(Math.abs(mean(values) - 7.6) < 0.3, `mean ${mean(values)}`);
  assert.ok(Math.abs(sd(values) - 1.7) < 0.3, `sd ${sd(values)}`);
  const scores = ratings2018.map((r) => r.score);
  assert.ok(scores.every((v) => Number.isInteger(v) && v >= 0 && v <= 10));
  const notScored = scores.filter((v) => v === 0).length / scores.length;
  assert.ok(notScored >= 0.08 && notScored <= 0.25, `my_score 0 share ${notScored}`);

  for (const [name, rows] of [["2023", ratings2023], ["2018", ratings2018]] as const) {
    const pairs = new Set(rows.map((r) => `${r.user}:${r.anime}`));
    assert.equal(pairs.size, rows.length, `duplicate (user, anime) pair in the ${name} file`);
  }
});

Deno.test("the two rating files overlap like the real ones", async () => {
  const { anime, ratings2023, ratings2018 } = (await tinyDataset()).parsed;
  const rating2023 = new Map(ratings2023.map((r) => [`${r.user}:${r.anime}`, r.rating]));
  const shared = ratings2018.filter((r) => rating2023.has(`${r.user}:${r.anime}`) && r.score > 0);
  assert.ok(shared.length > 50, `(user, anime) pairs in both files: ${shared.length}`);
  // The same person rates the same anime alike in both files (same hidden taste, new noise).
  const r = correlation(
    shared.map((p) => rating2023.get(`${p.user}:${p.anime}`)!),
    shared.map((p) => p.score),
  );
  assert.ok(r > 0.3, `correlation of re-ratings ${r}`);
  // Shared users keep their username; some 2018 users are not in the 2023 file at all.
  const username2023 = new Map(ratings2023.map((row) => [row.user, row.username]));
  for (const row of ratings2018) {
    if (username2023.has(row.user)) assert.equal(row.username, username2023.get(row.user));
  }
  assert.ok(ratings2018.some((row) => !username2023.has(row.user)), "2018-only users");
  // Some 2018 ratings are for anime missing from the 2023 catalogue.
  const listed = new Set(anime.map((row) => Number(row.anime_id)));
  assert.ok(ratings2018.some((row) => !listed.has(row.anime)), "2018 rows for unlisted anime");
  assert.ok(ratings2023.every((row) => listed.has(row.anime)), "2023 rows are for listed anime");
});

Deno.test("item popularity and user activity are long-tailed", async () => {
  const { ratings2023 } = (await tinyDataset()).parsed;
  const perItem = new Map<number, number>();
  const perUser = new Map<number, number>();
  for (const r of ratings2023) {
    perItem.set(r.anime, (perItem.get(r.anime) ?? 0) + 1);
    perUser.set(r.user, (perUser.get(r.user) ?? 0) + 1);
  }
  const items = [...perItem.values()].sort((a, b) => b - a);
  const top = items.slice(0, Math.ceil(items.length / 10)).reduce((a, b) => a + b, 0);
  // Measured: tiny 0.31 (users rate up to half of 200 anime, which flattens the head),
  // default 0.63, full 0.71.
  assert.ok(top / ratings2023.length > 0.25, `top 10% of anime hold ${top / ratings2023.length}`);
  const users = [...perUser.values()].sort((a, b) => a - b);
  const medianUser = users[Math.floor(users.length / 2)];
  assert.ok(users[users.length - 1] >= 4 * medianUser, "some users rate far more than most");
  assert.ok(mean(users) > medianUser, "activity is right-skewed");
});

Deno.test("Score and synopsis wording carry the anime's hidden quality", async () => {
  const { anime, ratings2023 } = (await tinyDataset()).parsed;
  const sums = new Map<number, { total: number; n: number }>();
  for (const r of ratings2023) {
    const s = sums.get(r.anime) ?? { total: 0, n: 0 };
    s.total += r.rating;
    s.n++;
    sums.set(r.anime, s);
  }
  const scored = anime.filter((row) => row.Score !== "UNKNOWN");
  const withRatings = scored.filter((row) => (sums.get(Number(row.anime_id))?.n ?? 0) >= 10);
  const r = correlation(
    withRatings.map((row) => Number(row.Score)),
    withRatings.map((row) => {
      const s = sums.get(Number(row.anime_id))!;
      return s.total / s.n;
    }),
  );
  assert.ok(r > 0.5, `correlation of Score with mean rating ${r}`);
  const scores = scored.map((row) => Number(row.Score));
  assert.ok(Math.min(...scores) >= 1 && Math.max(...scores) <= 10);

  const praise = /\b(masterful|breathtaking|unforgettable|brilliant|stunning|heartfelt)\b/g;
  const pan = /\b(generic|clumsy|forgettable|tedious|bland|mediocre)\b/g;
  const balance = (text: string) =>
    (text.match(praise)?.length ?? 0) - (text.match(pan)?.length ?? 0);
  const byScore = [...scored].sort((a, b) => Number(a.Score) - Number(b.Score));
  const half = Math.floor(byScore.length / 2);
  const low = mean(byScore.slice(0, half).map((row) => balance(row.Synopsis)));
  const high = mean(byScore.slice(half).map((row) => balance(row.Synopsis)));
  assert.ok(high > low + 0.5, `praise minus pan words: high-score ${high}, low-score ${low}`);
});

Deno.test("same seed and scale give byte-identical files; another seed does not", async () => {
  const { parsed } = await tinyDataset();
  const again = await Deno.makeTempDir({ prefix: "mal_generate_again_" });
  const other = await Deno.makeTempDir({ prefix: "mal_generate_other_" });
  try {
    const summary = await generateMalDataset(again, { scale: "tiny", seed: 42 });
    const otherSummary = await generateMalDataset(other, { scale: "tiny", seed: 7 });
    for (const key of Object.keys(MAL_FILES)) {
      assert.equal(await sha256(summary.files[key]), await sha256(parsed.summary.files[key]), key);
      assert.notEqual(
        await sha256(otherSummary.files[key]),
        await sha256(parsed.summary.files[key]),
        key,
      );
    }
  } finally {
    await Deno.remove(again, { recursive: true });
    await Deno.remove(other, { recursive: true });
  }
});

Deno.test("ratings2018 sets the 2018 file's size; progress is reported up to the total", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mal_generate_small2018_" });
  try {
    const progress: [number, number][] = [];
    const summary = await generateMalDataset(dir, {
      scale: "tiny",
      seed: 1,
      ratings2018: 500,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.equal(summary.ratings2018, 500);
    assert.equal(
      Deno.readTextFileSync(summary.files.ratings2018).trimEnd().split("\n").length,
      501,
    );
    const last = progress[progress.length - 1];
    assert.deepEqual(last, [summary.ratings2023 + 500, summary.ratings2023 + 500]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad options are rejected with a message naming the option", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mal_generate_bad_" });
  try {
    const scale = await caught(() =>
      generateMalDataset(dir, { scale: "huge" as "tiny", seed: 1 })
    ) as Error;
    assert.match(scale.message, /scale must be tiny, default or full, got "huge"/);
    const seed = await caught(() => generateMalDataset(dir, { scale: "tiny", seed: NaN })) as Error;
    assert.match(seed.message, /seed must be a finite number/);
    const rows = await caught(() =>
      generateMalDataset(dir, { scale: "tiny", seed: 1, ratings2018: -3 })
    ) as Error;
    assert.match(rows.message, /ratings2018 must be a non-negative integer, got -3/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("csvRow quotes exactly what RFC 4180 requires and round-trips any text", () => {
  assert.equal(csvRow(["a", "b,c", 'say "hi"', "x\ny", ""]), 'a,"b,c","say ""hi""","x\ny",\n');
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "grapheme" }), { minLength: 1, maxLength: 6 }),
      (fields) => {
        assert.deepEqual(parseCsv(csvRow(fields)), [fields]);
      },
    ),
  );
});

Deno.test("alias table reproduces the weights exactly", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.001, max: 1000, noNaN: true }), { minLength: 1, maxLength: 50 }),
      (weights) => {
        const { keepProbability, alias } = buildAliasTable(Float64Array.from(weights));
        const n = weights.length;
        const implied = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          implied[i] += keepProbability[i] / n;
          implied[alias[i]] += (1 - keepProbability[i]) / n;
        }
        const total = weights.reduce((a, b) => a + b, 0);
        weights.forEach((w, i) => assert.ok(Math.abs(implied[i] - w / total) < 1e-9));
      },
    ),
  );
});

Deno.test("kthSmallest agrees with sorting", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
        minLength: 1,
        maxLength: 60,
      }),
      fc.nat(),
      (values, pick) => {
        const k = 1 + (pick % values.length);
        const sorted = [...values].sort((a, b) => a - b);
        assert.equal(kthSmallest(Float64Array.from(values), k), sorted[k - 1]);
      },
    ),
  );
});

Deno.test("calibrateOffset hits the target mean of clipped, rounded ratings", () => {
  // Latent values spread over [-2, 2]: one shared value could only give an integer mean.
  const latent = Float64Array.from({ length: 100 }, (_, i) => (i - 49.5) / 25);
  const offset = calibrateOffset(latent, latent.length);
  const ratings = Array.from(latent, (x) => clipRating(offset + x));
  assert.ok(Math.abs(mean(ratings) - 7.62) <= 0.01, `mean ${mean(ratings)}`);
  assert.equal(clipRating(-3.2), 1);
  assert.equal(clipRating(12.7), 10);
  assert.equal(clipRating(7.5), 8);
});
