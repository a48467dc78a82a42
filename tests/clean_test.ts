/** The study's cleaning and the careful options, on hand-worked cases. */
import assert from "node:assert/strict";
import { cleanItems, cleanRatings, codePointLength } from "../data/mal/clean.ts";

const defaults = { dedupe: false, min_user_ratings: 1, min_item_ratings: 1 };

function raw(rows: Array<[number, number, number]>) {
  return {
    userId: Int32Array.from(rows, (r) => r[0]),
    animeId: Int32Array.from(rows, (r) => r[1]),
    rating: Float32Array.from(rows, (r) => r[2]),
  };
}

Deno.test("items keep synopses of 30..2000 code points, inclusive", () => {
  const synopsis = [
    "x".repeat(29),
    "x".repeat(30),
    "x".repeat(2000),
    "x".repeat(2001),
    "",
    "た".repeat(30),
  ];
  const { keep, counts } = cleanItems(synopsis, { synopsis_min: 30, synopsis_max: 2000 });
  assert.deepEqual(Array.from(keep), [0, 1, 1, 0, 0, 1]);
  assert.equal(counts.items_kept, 3);
  assert.equal(counts.items_dropped_synopsis_too_short, 1);
  assert.equal(counts.items_dropped_synopsis_too_long, 1);
  assert.equal(counts.items_dropped_missing_synopsis, 1);
  assert.equal(codePointLength("😀ab"), 3, "an astral character counts once, as in Python");
});

Deno.test("ratings: files stacked in order, score 0 and unknown anime dropped, ids by first appearance", () => {
  const r2018 = raw([[7, 100, 8], [7, 200, 0], [9, 300, 5]]);
  const r2023 = raw([[9, 100, 6], [7, 100, 9], [5, 200, 10]]);
  const { ratings, counts } = cleanRatings(
    [{ name: "ratings2018", ratings: r2018 }, { name: "ratings2023", ratings: r2023 }],
    Int32Array.from([100, 200]),
    defaults,
  );
  // Kept rows: (7,100,8) (9,100,6) (7,100,9) (5,200,10); users 7,9,5; items 100,200.
  assert.deepEqual(Array.from(ratings.userIds), [7, 9, 5]);
  assert.deepEqual(Array.from(ratings.itemIds), [100, 200]);
  assert.deepEqual(Array.from(ratings.user), [0, 1, 0, 2]);
  assert.deepEqual(Array.from(ratings.item), [0, 0, 0, 1]);
  assert.deepEqual(Array.from(ratings.rating), [8, 6, 9, 10]);
  assert.equal(counts.ratings2018_dropped_not_scored, 1);
  assert.equal(counts.ratings2018_dropped_anime_not_in_clean_items, 1);
  assert.equal(counts.ratings_kept, 4);
});

Deno.test("dedupe keeps the later (2023) rating of a pair rated in both files", () => {
  const r2018 = raw([[7, 100, 8], [7, 200, 4]]);
  const r2023 = raw([[7, 100, 9], [8, 200, 3]]);
  const { ratings, counts } = cleanRatings(
    [{ name: "ratings2018", ratings: r2018 }, { name: "ratings2023", ratings: r2023 }],
    Int32Array.from([100, 200]),
    { ...defaults, dedupe: true },
  );
  assert.equal(counts.dropped_duplicate_pairs, 1);
  // Left: (7,200,4) (7,100,9) (8,200,3); item 200 now appears first.
  assert.deepEqual(Array.from(ratings.itemIds), [200, 100]);
  assert.deepEqual(Array.from(ratings.rating), [4, 9, 3]);
});

Deno.test("minimum ratings per user, then per item", () => {
  const r = raw([[1, 10, 5], [1, 20, 5], [2, 10, 5], [3, 10, 5], [3, 30, 5]]);
  const { ratings, counts } = cleanRatings(
    [{ name: "ratings2023", ratings: r }],
    Int32Array.from([10, 20, 30]),
    { ...defaults, min_user_ratings: 2, min_item_ratings: 2 },
  );
  // Users 1 and 3 have two ratings; then items 20 and 30 have one each and go.
  assert.equal(counts.dropped_user_below_min_ratings, 1);
  assert.equal(counts.dropped_item_below_min_ratings, 2);
  assert.deepEqual(Array.from(ratings.userIds), [1, 3]);
  assert.deepEqual(Array.from(ratings.itemIds), [10]);
});

Deno.test("a pair repeated within one file is counted per file, kept by default, dropped on request", () => {
  // ratings2018 repeats (7,100) twice more; ratings2023 repeats (9,200) once. (7,100) in
  // both files is no repeat within a file: that is `dedupe`'s business.
  const r2018 = raw([[7, 100, 8], [7, 100, 8], [9, 200, 5], [7, 100, 6]]);
  const r2023 = raw([[7, 100, 9], [9, 200, 4], [9, 200, 4]]);
  const parts = [{ name: "ratings2018", ratings: r2018 }, { name: "ratings2023", ratings: r2023 }];
  const items = Int32Array.from([100, 200]);

  const kept = cleanRatings(parts, items, defaults);
  assert.equal(kept.counts.ratings2018_duplicate_rows, 2);
  assert.equal(kept.counts.ratings2023_duplicate_rows, 1);
  assert.equal(kept.counts.ratings_kept, 7, "keep (the study's pandas code) keeps every row");
  assert.equal(kept.counts.ratings2018_dropped_duplicate_rows, undefined);

  const dropped = cleanRatings(parts, items, { ...defaults, duplicates: "drop" });
  assert.equal(dropped.counts.ratings2018_dropped_duplicate_rows, 2);
  assert.equal(dropped.counts.ratings2023_dropped_duplicate_rows, 1);
  // The first row of each pair in each file stays, in file order.
  assert.deepEqual(Array.from(dropped.ratings.rating), [8, 5, 9, 4]);
  assert.deepEqual(Array.from(dropped.ratings.user), [0, 1, 0, 1]);
  assert.equal(dropped.counts.ratings_kept, 4);
});
