/**
 * Item features (MAL genres): parsed once per anime into ids, carried from the anime file
 * through load and clean to the dense catalogue, refused where the data have none.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fromPairs, parseFeatureLists, selectRows, toPairs } from "../data/item_features.ts";
import { ANIME_DATASET_COLUMNS, MAL_FILES, USERS_SCORE_COLUMNS } from "../data/mal/columns.ts";
import { loadMalDirectory } from "../data/mal/load.ts";
import { UserError } from "../runners/errors.ts";
import { planExperiment } from "../runners/plan.ts";
import { validateSpec } from "../runners/spec/load.ts";
import { cleanStep } from "../runners/steps/clean.ts";
import { loadStep } from "../runners/steps/load.ts";
import type { StepRunContext } from "../runners/steps/step.ts";
import { caught } from "./helpers/assert.ts";

const rows = (csr: { offsets: Int32Array; values: Int32Array }) =>
  Array.from(
    { length: csr.offsets.length - 1 },
    (_, r) => Array.from(csr.values.subarray(csr.offsets[r], csr.offsets[r + 1])),
  );

Deno.test("genre lists: ids by first appearance, rows distinct and ascending, UNKNOWN is none", () => {
  const { names, byItem } = parseFeatureLists([
    "Comedy, Action",
    "UNKNOWN",
    "Action,Drama , Action",
    "",
  ]);
  assert.deepEqual(names, ["Comedy", "Action", "Drama"]);
  assert.deepEqual(rows(byItem), [[0, 1], [], [1, 2], []]);
  assert.deepEqual(rows(selectRows(byItem, Int32Array.from([2, -1, 0]))), [[1, 2], [], [0, 1]]);
  const { item, feature } = toPairs(byItem);
  assert.deepEqual([Array.from(item), Array.from(feature)], [[0, 0, 2, 2], [0, 1, 1, 2]]);
  assert.deepEqual(rows(fromPairs(item, feature, 4)), rows(byItem));
});

function csv(header: readonly string[], data: (string | number)[][]): string {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${v}"` : String(v));
  return [header, ...data].map((row) => row.map(cell).join(",")).join("\n") + "\n";
}

const SYNOPSIS = "A synopsis long enough to pass the cleaning step's length rule.";

/** An anime file with the given (id, Genres) rows, and a users-score file rating them. */
async function malDir(anime: [number, string][], ratings: number[][], withGenres = true) {
  const dir = await Deno.makeTempDir({ prefix: "item-features-" });
  const columns = withGenres
    ? [...ANIME_DATASET_COLUMNS]
    : ANIME_DATASET_COLUMNS.filter((c) => c !== "Genres");
  const animeRows = anime.map(([id, genres]) =>
    columns.map((c) =>
      c === "anime_id" ? id : c === "Genres" ? genres : c === "Synopsis" ? SYNOPSIS : "UNKNOWN"
    )
  );
  await Deno.writeTextFile(join(dir, MAL_FILES.items), csv(columns, animeRows));
  await Deno.writeTextFile(
    join(dir, MAL_FILES.ratings2023),
    csv(USERS_SCORE_COLUMNS, ratings.map(([u, a, r]) => [u, "name", a, "title", r])),
  );
  return dir;
}

function context(): StepRunContext {
  const unused = () => {
    throw new Error("not used");
  };
  return {
    seed: 1,
    rng: "seeded",
    progress: () => {},
    log: () => {},
    filesDir: unused,
    inputFiles: unused,
  };
}

Deno.test("MAL genres: loaded per anime row, mapped to the dense catalogue by clean", async () => {
  // the ratings name anime 30 first, so dense item 0 is file row 2
  const dir = await malDir(
    [[10, "Action, Comedy"], [20, "UNKNOWN"], [30, "Drama, Action"]],
    [[1, 30, 8], [1, 10, 7], [2, 20, 9], [2, 30, 6]],
  );
  try {
    const loaded = await loadMalDirectory(dir, { files: ["ratings2023"] });
    assert.deepEqual(loaded.items.genres!.names, ["Action", "Comedy", "Drama"]);
    assert.deepEqual(rows(loaded.items.genres!.byItem), [[0, 1], [], [0, 2]]);
    const ctx = context();
    const load = await loadStep.run(
      { source: "mal", dir, files: ["ratings2023"], scale: [1, 10] },
      {},
      ctx,
    );
    const clean = await cleanStep.run(
      {
        source: "mal",
        files: ["ratings2023"],
        scale: [1, 10],
        synopsis_min: 30,
        synopsis_max: 2000,
        dedupe: false,
        duplicates: "keep",
        min_user_ratings: 1,
        min_item_ratings: 1,
      },
      { load },
      ctx,
    );
    assert.deepEqual(Array.from(clean.tables.items.anime_id as Int32Array), [30, 10, 20]);
    const pairs = clean.tables.item_genres;
    const byDense = fromPairs(pairs.item as Int32Array, pairs.genre as Int32Array, 3);
    assert.deepEqual(rows(byDense), [[0, 2], [0, 1], []], "anime 30, 10, 20 in dense order");
    assert.deepEqual(clean.tables.genres.name, ["Action", "Comedy", "Drama"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an anime file without a Genres column loads, with no genres", async () => {
  const dir = await malDir([[10, ""]], [[1, 10, 8]], false);
  try {
    const loaded = await loadMalDirectory(dir, { files: ["ratings2023"] });
    assert.equal(loaded.items.genres, undefined);
    const load = await loadStep.run(
      { source: "mal", dir, files: ["ratings2023"], scale: [1, 10] },
      {},
      context(),
    );
    assert.equal(load.tables.item_genres, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ild on MovieLens is refused while planning, naming the metric's field", async () => {
  const spec = validateSpec({
    name: "x",
    data: { source: "movielens", path: "ratings.csv" },
    model: { type: "toppop" },
    evaluate: { metrics: ["precision", "ild@5"] },
  });
  const error = await caught(() => planExperiment(spec));
  assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
  assert.match(error.describe(), /^evaluate\.metrics\.1: ild@5 needs item features \(genres\)/);
});

/** A two-user evaluation: user 0 trained on item 0, tested on 1; user 1 on 2, tested on 3. */
function evaluateInputs(withGenres: boolean) {
  const clean = {
    tables: {
      ratings: {
        user: Int32Array.from([0, 0, 1, 1]),
        item: Int32Array.from([0, 1, 2, 3]),
        rating: Float32Array.from([5, 5, 5, 5]),
      },
      users: { user_id: Int32Array.from([100, 101]) },
      items: { anime_id: Int32Array.from([10, 11, 12, 13]) },
      ...(withGenres
        ? {
          item_genres: {
            item: Int32Array.from([0, 1, 2, 3]),
            genre: Int32Array.from([0, 0, 1, 1]),
          },
        }
        : {}),
    },
    meta: {},
  };
  const split = {
    tables: {
      train: { row: Int32Array.from([0, 2]) },
      dev: { row: new Int32Array(0) },
      test: { row: Int32Array.from([1, 3]) },
    },
    meta: {},
  };
  const recommend = {
    tables: {
      users: { user: Int32Array.from([0, 1]), user_id: Int32Array.from([100, 101]) },
      lists: { item: Int32Array.from([2, 1, 0, 3]) },
    },
    meta: {},
  };
  return { clean, split, recommend };
}

Deno.test("evaluate step: auc_topk counts the excluded seen items out; ild reads the genres", async () => {
  const { evaluateStep } = await import("../runners/steps/evaluate.ts");
  const params = { type: "toppop", config: {}, metrics: ["auc_topk", "ild"], k: 2, target: "test" };
  const excluded = await evaluateStep.run(
    { ...params, target: "test", excluded: "train" },
    evaluateInputs(true),
    context(),
  );
  // user 0: truth {1}, seen {0}: non-relevant {2, 3}; list 2, 1 -> the hit beats item 3 only
  // user 1: truth {3}, seen {2}: non-relevant {0, 1}; list 0, 3 -> 1/2
  const perUser = excluded.tables.per_user;
  assert.deepEqual(Array.from(perUser["auc_topk@2"] as Float64Array), [0.5, 0.5]);
  // user 0: genres {1} and {0}: distance 1; user 1: {0} and {1}: 1
  assert.deepEqual(Array.from(perUser["ild@2"] as Float64Array), [1, 1]);
  const none = await evaluateStep.run(
    { ...params, target: "test", excluded: "none" },
    evaluateInputs(true),
    context(),
  );
  // nothing excluded: user 0's non-relevant items are {0, 2, 3}: the hit beats 0 and 3
  assert.equal((none.tables.per_user["auc_topk@2"] as Float64Array)[0], 2 / 3);
  const error = await caught(() =>
    evaluateStep.run(
      { ...params, target: "test", excluded: "none" },
      evaluateInputs(false),
      context(),
    )
  );
  assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
  assert.match(error.describe(), /^evaluate\.metrics: ild needs item features \(genres\)/);
});

Deno.test("the embedded generator's anime file has genres, loaded as ids (UNKNOWN: none)", async () => {
  const { generateMalDataset } = await import("../data/mal/generate.ts");
  const dir = await Deno.makeTempDir({ prefix: "item-features-generated-" });
  try {
    await generateMalDataset(dir, { scale: "tiny", seed: 7 });
    const { items } = await loadMalDirectory(dir, { files: ["ratings2023"] });
    const genres = items.genres!;
    assert.ok(genres.names.length >= 10, `${genres.names.length} genres`);
    const sizes = rows(genres.byItem).map((row) => row.length);
    const withGenres = sizes.filter((size) => size > 0).length;
    assert.ok(withGenres > 0.8 * sizes.length, `${withGenres} of ${sizes.length} have genres`);
    assert.ok(withGenres < sizes.length, "some are UNKNOWN");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
