import { csrByUser, type Ratings } from "../ratings.ts";
import type { RawRatings } from "../raw_ratings.ts";

export interface CleanOptions {
  synopsis_min: number;
  synopsis_max: number;
  dedupe: boolean;
  /** a (user, anime) pair repeated within one file: keep every row, or only the first */
  duplicates: "keep" | "drop";
  min_user_ratings: number;
  min_item_ratings: number;
}

/** Counts a cleaning step reports: rows read, kept, and dropped per reason. */
export type CleanCounts = Record<string, number>;

/** Number of Unicode code points (Python's len), not UTF-16 units. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/**
 * The study's `clean_items`: keep anime with a synopsis of 30..2000 characters. A score of
 * `UNKNOWN` is text, not missing, so such anime stay (the BERT protocol drops them later).
 */
export function cleanItems(
  synopsis: string[],
  options: Pick<CleanOptions, "synopsis_min" | "synopsis_max">,
): { keep: Uint8Array; counts: CleanCounts } {
  const keep = new Uint8Array(synopsis.length);
  let missing = 0, short = 0, long = 0;
  for (let i = 0; i < synopsis.length; i++) {
    const text = synopsis[i];
    if (text === null || text === undefined || text === "") {
      missing++;
      continue;
    }
    const length = codePointLength(text);
    if (length < options.synopsis_min) short++;
    else if (length > options.synopsis_max) long++;
    else keep[i] = 1;
  }
  return {
    keep,
    counts: {
      items_read: synopsis.length,
      items_dropped_missing_synopsis: missing,
      items_dropped_synopsis_too_short: short,
      items_dropped_synopsis_too_long: long,
      items_kept: synopsis.length - missing - short - long,
    },
  };
}

/**
 * The study's ratings matrix: the rating files stacked in the given order; rows with
 * rating <= 0 dropped (`my_score` 0 means "not scored"); only anime in the clean items
 * kept. Options a careful researcher wants: drop a (user, anime) pair seen in an earlier
 * file when a later file rates it again (the later, 2023, rating wins), and minimum
 * ratings per user and per item (applied once, users then items). A pair repeated within
 * one file is counted (`<file>_duplicate_rows`) and kept, as the study's pandas code kept
 * it, or dropped after its first row (`duplicates: drop`). Dense ids follow first
 * appearance in the result, as Surprise and pandas order them.
 */
export function cleanRatings(
  parts: Array<{ name: string; ratings: RawRatings }>,
  keptAnimeIds: Int32Array,
  options: Pick<CleanOptions, "dedupe" | "min_user_ratings" | "min_item_ratings"> & {
    duplicates?: CleanOptions["duplicates"];
  },
): { ratings: Ratings; counts: CleanCounts } {
  const counts: CleanCounts = {};
  let maxAnime = maxOf(keptAnimeIds);
  for (const part of parts) maxAnime = Math.max(maxAnime, maxOf(part.ratings.animeId));
  const animeKept = new Uint8Array(maxAnime + 1);
  for (let i = 0; i < keptAnimeIds.length; i++) animeKept[keptAnimeIds[i]] = 1;

  // Stack the kept rows of every part into flat columns (file order, parts in order).
  let total = 0;
  for (const part of parts) total += part.ratings.rating.length;
  let userId = new Int32Array(total);
  let animeId = new Int32Array(total);
  let rating = new Float32Array(total);
  // Times travel with their rows when every file has them (MovieLens), for splits by time.
  const timed = parts.length > 0 && parts.every((part) => part.ratings.timestamp !== undefined);
  let timestamp = new Int32Array(timed ? total : 0);
  const partOf = new Uint8Array(total);
  let n = 0;
  for (const [part, { name, ratings }] of parts.entries()) {
    let missing = 0, notScored = 0, unknownAnime = 0;
    for (let r = 0; r < ratings.rating.length; r++) {
      const value = ratings.rating[r];
      // The loader marks an empty id with -1 and an empty rating with NaN: pandas' dropna.
      if (ratings.userId[r] < 0 || ratings.animeId[r] < 0 || Number.isNaN(value)) missing++;
      else if (!(value > 0)) notScored++;
      else if (!animeKept[ratings.animeId[r]]) unknownAnime++;
      else {
        userId[n] = ratings.userId[r];
        animeId[n] = ratings.animeId[r];
        partOf[n] = part;
        if (timed) timestamp[n] = ratings.timestamp![r];
        rating[n++] = value;
      }
    }
    counts[`${name}_rows_read`] = ratings.rating.length;
    counts[`${name}_dropped_missing`] = missing;
    counts[`${name}_dropped_not_scored`] = notScored;
    counts[`${name}_dropped_anime_not_in_clean_items`] = unknownAnime;
  }
  userId = userId.subarray(0, n);
  animeId = animeId.subarray(0, n);
  rating = rating.subarray(0, n);
  timestamp = timestamp.subarray(0, timed ? n : 0);

  let keep = new Uint8Array(n).fill(1);
  let dense = densify(userId, animeId, keep, maxAnime);
  const repeats = repeatedWithinFile(dense, keep, partOf, parts.length);
  for (const [part, { name }] of parts.entries()) {
    counts[`${name}_duplicate_rows`] = repeats.perPart[part];
  }
  if (options.duplicates === "drop") {
    for (const row of repeats.rows) keep[row] = 0;
    for (const [part, { name }] of parts.entries()) {
      counts[`${name}_dropped_duplicate_rows`] = repeats.perPart[part];
    }
  }
  if (options.dedupe) {
    counts.dropped_duplicate_pairs = dropEarlierDuplicates(dense, keep);
  }
  if (options.min_user_ratings > 1 || options.min_item_ratings > 1) {
    const [users, items] = dropBelowMinimum(dense, keep, options);
    counts.dropped_user_below_min_ratings = users;
    counts.dropped_item_below_min_ratings = items;
  }
  const rows = rowsOf(keep);
  const kept = rows.length;
  if (kept !== n) {
    // Rows were dropped: first appearances may have moved, so number the survivors again.
    userId = rows.map((i) => userId[i]);
    animeId = rows.map((i) => animeId[i]);
    rating = Float32Array.from(rows, (i) => rating[i]);
    if (timed) timestamp = rows.map((i) => timestamp[i]);
    keep = new Uint8Array(kept).fill(1);
    dense = densify(userId, animeId, keep, maxAnime);
  }
  counts.ratings_kept = kept;
  counts.users = dense.userIds.length;
  counts.items = dense.itemIds.length;
  return {
    ratings: {
      user: dense.user,
      item: dense.item,
      rating: rating.slice(),
      ...(timed ? { timestamp: timestamp.slice() } : {}),
      userIds: dense.userIds,
      itemIds: dense.itemIds,
    },
    counts,
  };
}

interface DenseIds {
  user: Int32Array;
  item: Int32Array;
  userIds: Int32Array;
  itemIds: Int32Array;
}

/** Dense indices in order of first appearance; a typed lookup table when ids are small. */
function densify(
  userId: Int32Array,
  animeId: Int32Array,
  keep: Uint8Array,
  maxAnime: number,
): DenseIds {
  const n = userId.length;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const itemIndex = new Int32Array(maxAnime + 1).fill(-1);
  const itemIds: number[] = [];
  const userIds: number[] = [];
  const maxUser = maxOf(userId);
  const lookup = maxUser < 50_000_000 ? new Int32Array(maxUser + 1).fill(-1) : null;
  const map = lookup ? null : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const id = userId[i];
    let u = lookup ? lookup[id] : (map!.get(id) ?? -1);
    if (u < 0) {
      u = userIds.length;
      userIds.push(id);
      if (lookup) lookup[id] = u;
      else map!.set(id, u);
    }
    let it = itemIndex[animeId[i]];
    if (it < 0) {
      it = itemIds.length;
      itemIds.push(animeId[i]);
      itemIndex[animeId[i]] = it;
    }
    user[i] = u;
    item[i] = it;
  }
  return { user, item, userIds: Int32Array.from(userIds), itemIds: Int32Array.from(itemIds) };
}

/**
 * Rows whose (user, item) pair already occurred earlier in the same file, and how many per
 * file. Parts are stacked one after the other, so a user's rows come part by part and a
 * stamp of (user, part) per item finds the repeats in one pass.
 */
function repeatedWithinFile(
  dense: DenseIds,
  keep: Uint8Array,
  partOf: Uint8Array,
  nParts: number,
): { rows: number[]; perPart: number[] } {
  const byUser = csrByUser(dense.user, rowsOf(keep), dense.userIds.length);
  const stamp = new Float64Array(dense.itemIds.length);
  const rows: number[] = [];
  const perPart = new Array<number>(nParts).fill(0);
  for (let u = 0; u < dense.userIds.length; u++) {
    for (let p = byUser.offsets[u]; p < byUser.offsets[u + 1]; p++) {
      const row = byUser.values[p];
      const item = dense.item[row];
      const mark = u * nParts + partOf[row] + 1;
      if (stamp[item] === mark) {
        rows.push(row);
        perPart[partOf[row]]++;
      } else stamp[item] = mark;
    }
  }
  return { rows, perPart };
}

/** Unmarks every row whose (user, item) pair occurs again later; returns how many. */
function dropEarlierDuplicates(dense: DenseIds, keep: Uint8Array): number {
  const byUser = csrByUser(dense.user, rowsOf(keep), dense.userIds.length);
  const stamp = new Int32Array(dense.itemIds.length);
  let dropped = 0;
  for (let u = 0; u < dense.userIds.length; u++) {
    for (let p = byUser.offsets[u + 1] - 1; p >= byUser.offsets[u]; p--) {
      const row = byUser.values[p];
      const item = dense.item[row];
      if (stamp[item] === u + 1) {
        keep[row] = 0;
        dropped++;
      } else stamp[item] = u + 1;
    }
  }
  return dropped;
}

function dropBelowMinimum(
  dense: DenseIds,
  keep: Uint8Array,
  options: Pick<CleanOptions, "min_user_ratings" | "min_item_ratings">,
): [number, number] {
  const perUser = new Int32Array(dense.userIds.length);
  for (let i = 0; i < keep.length; i++) if (keep[i]) perUser[dense.user[i]]++;
  let users = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] && perUser[dense.user[i]] < options.min_user_ratings) {
      keep[i] = 0;
      users++;
    }
  }
  const perItem = new Int32Array(dense.itemIds.length);
  for (let i = 0; i < keep.length; i++) if (keep[i]) perItem[dense.item[i]]++;
  let items = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i] && perItem[dense.item[i]] < options.min_item_ratings) {
      keep[i] = 0;
      items++;
    }
  }
  return [users, items];
}

function rowsOf(keep: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i];
  const rows = new Int32Array(count);
  for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) rows[j++] = i;
  return rows;
}

function maxOf(values: Int32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}
