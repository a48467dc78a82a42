/**
 * The hidden side of the generated catalogue: per-anime quality, rating bias, latent taste
 * factors and popularity, in typed arrays. Ratings, the `Score` column and synopsis wording are
 * all derived from these, so collaborative and text models have real signal to find.
 */
import type { Rng } from "./random.ts";
import type { ScaleConfig } from "./scales.ts";
import { GENRES, TYPE_WEIGHTS } from "./vocabulary.ts";

/** Dimensions of the latent taste space shared by users and items. */
export const FACTOR_DIMS = 12;
/** Scale of each item factor (user factors use `USER_FACTOR_SD`): the dot product has sd ~0.85. */
const ITEM_FACTOR_SD = 0.5;
const AWARD_WINNING = GENRES.findIndex((g) => g.name === "Award Winning");

export const STATUS_FINISHED = 0;
export const STATUS_AIRING = 1;
export const STATUS_NOT_YET_AIRED = 2;
/** Anime first aired after this year cannot appear in the 2018 scrape. */
const LAST_YEAR_2018 = 2017;

/** Zipf-like popularity: sampling weight of the item of popularity rank r is (r + offset)^-alpha. */
const POPULARITY_ALPHA = 1.1;
const POPULARITY_OFFSET = 4;

export interface HiddenItems {
  /** all items: listed in the 2023 catalogue, or legacy (only in the 2018 ratings) */
  count: number;
  /** anime ids, ascending */
  animeId: Int32Array;
  /** 1 = only in the 2018 ratings, absent from anime-dataset-2023.csv */
  legacy: Uint8Array;
  /** 1 = aired by 2017 (or legacy), so it can appear in the 2018 ratings */
  eligible2018: Uint8Array;
  year: Int16Array;
  /** index into TYPES */
  type: Uint8Array;
  status: Uint8Array;
  /** genre indices into GENRES, in GENRES order (alphabetical) */
  genres: Uint8Array[];
  /** standard-normal quality: drives the rating bias, the Score column and praise in synopses */
  quality: Float64Array;
  bias: Float32Array;
  /** count x FACTOR_DIMS, row-major */
  factors: Float32Array;
  /** 1 = most popular, over all items */
  popularityRank: Int32Array;
  /** relative chance of being picked by a user */
  popularityWeight: Float64Array;
}

export function generateHiddenItems(rng: Rng, config: ScaleConfig): HiddenItems {
  const count = config.anime + config.legacyAnime;
  const animeId = ascendingIds(rng, count);
  const legacy = new Uint8Array(count);
  for (const i of rng.sample([...Array(count).keys()], config.legacyAnime)) legacy[i] = 1;

  const year = new Int16Array(count);
  const status = new Uint8Array(count);
  const type = new Uint8Array(count);
  const eligible2018 = new Uint8Array(count);
  const quality = new Float64Array(count);
  const bias = new Float32Array(count);
  const genres: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const position = i / count;
    status[i] = position > 0.98
      ? STATUS_NOT_YET_AIRED
      : position > 0.96
      ? STATUS_AIRING
      : STATUS_FINISHED;
    year[i] = status[i] === STATUS_NOT_YET_AIRED
      ? 2024
      : status[i] === STATUS_AIRING
      ? 2023
      : Math.min(2023, Math.max(1917, Math.round(1975 + 48 * position ** 0.8 + 3 * rng.normal())));
    if (legacy[i]) year[i] = Math.min(year[i], LAST_YEAR_2018);
    eligible2018[i] = year[i] <= LAST_YEAR_2018 ? 1 : 0;
    type[i] = rng.weightedIndex(TYPE_WEIGHTS);
    quality[i] = rng.normal();
    bias[i] = 0.7 * quality[i];
    genres.push(pickGenres(rng, quality[i]));
  }

  const factors = itemFactors(rng, genres);
  const popularityRank = rankPopularity(rng, quality, type, status, legacy);
  const popularityWeight = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    popularityWeight[i] = (popularityRank[i] + POPULARITY_OFFSET) ** -POPULARITY_ALPHA;
  }
  return {
    count,
    animeId,
    legacy,
    eligible2018,
    year,
    type,
    status,
    genres,
    quality,
    bias,
    factors,
    popularityRank,
    popularityWeight,
  };
}

/** Ascending ids with gaps, as MAL's (24,905 anime spread over ids 1..~55,000). */
function ascendingIds(rng: Rng, count: number): Int32Array {
  const ids = new Int32Array(count);
  let id = 0;
  for (let i = 0; i < count; i++) {
    id += 1 + Math.floor(-Math.log(1 - rng.uniform()) * 1.2);
    ids[i] = id;
  }
  return ids;
}

const GENRE_COUNT_WEIGHTS = [35, 35, 20, 10];

function pickGenres(rng: Rng, quality: number): Uint8Array {
  const wanted = 1 + rng.weightedIndex(GENRE_COUNT_WEIGHTS);
  const weights = GENRES.map((g, k) => (k === AWARD_WINNING ? 0 : g.weight));
  const chosen = new Set<number>();
  while (chosen.size < wanted) {
    const k = rng.weightedIndex(weights);
    chosen.add(k);
    weights[k] = 0;
  }
  if (quality > 1.6 && rng.chance(0.5)) chosen.add(AWARD_WINNING);
  return Uint8Array.from([...chosen].sort((a, b) => a - b));
}

/** Item factors mix a per-genre direction with noise, so genres carry taste information. */
function itemFactors(rng: Rng, genres: Uint8Array[]): Float32Array {
  const genreDirections = new Float64Array(GENRES.length * FACTOR_DIMS);
  for (let k = 0; k < genreDirections.length; k++) genreDirections[k] = rng.normal();
  const factors = new Float32Array(genres.length * FACTOR_DIMS);
  for (let i = 0; i < genres.length; i++) {
    const norm = 1 / Math.sqrt(genres[i].length);
    for (let d = 0; d < FACTOR_DIMS; d++) {
      let genrePart = 0;
      for (const g of genres[i]) genrePart += genreDirections[g * FACTOR_DIMS + d];
      factors[i * FACTOR_DIMS + d] = ITEM_FACTOR_SD *
        (0.75 * genrePart * norm + 0.66 * rng.normal());
    }
  }
  return factors;
}

/** TV series and films draw the crowds; music videos and unaired titles do not. */
const TYPE_POPULARITY = [0.6, 0.3, -0.1, -0.1, -0.5, -1.0, -1.5];

function rankPopularity(
  rng: Rng,
  quality: Float64Array,
  type: Uint8Array,
  status: Uint8Array,
  legacy: Uint8Array,
): Int32Array {
  const count = quality.length;
  const appeal = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    appeal[i] = 0.55 * quality[i] + 0.85 * rng.normal() + TYPE_POPULARITY[type[i]] -
      (status[i] === STATUS_NOT_YET_AIRED ? 2.5 : 0) - (legacy[i] ? 0.8 : 0);
  }
  const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) =>
    appeal[b] - appeal[a]
  );
  const rank = new Int32Array(count);
  for (let r = 0; r < count; r++) rank[order[r]] = r + 1;
  return rank;
}
