/**
 * The visible catalogue: every column of anime-dataset-2023.csv and the anime columns of
 * final_animedataset.csv, derived from the hidden items (popularity drives Members and
 * Popularity, quality drives Score and the synopsis wording).
 */
import { UNKNOWN_SCORE } from "../columns.ts";
import type { HiddenItems } from "./hidden_items.ts";
import { STATUS_AIRING, STATUS_NOT_YET_AIRED } from "./hidden_items.ts";
import { type AnimeTitle, TitleMaker, titleStyles } from "./names.ts";
import { Rng } from "./random.ts";
import { synopsisKinds, SynopsisWriter } from "./synopsis.ts";
import {
  AGE_RATING_WEIGHTS,
  AGE_RATINGS,
  GENRES,
  LICENSORS,
  MONTHS,
  PRODUCERS,
  SEASONS,
  SOURCE_WEIGHTS,
  SOURCES,
  STUDIOS,
  THEMES_2018,
  TYPES,
  UNKNOWN,
} from "./vocabulary.ts";

/** The anime columns of final_animedataset.csv, after username, anime_id, my_score, user_id, gender. */
export interface Anime2018Fields {
  title: string;
  type: string;
  source: string;
  score: string;
  scoredBy: string;
  rank: string;
  popularity: string;
  genre: string;
}

export interface Catalogue {
  titles: AnimeTitle[];
  /** score shown on MAL; NaN where the dump says UNKNOWN */
  score: Float64Array;
  /** the 24 columns of anime-dataset-2023.csv as text; null for legacy anime */
  rows: (string[] | null)[];
  /** null for anime that cannot appear in the 2018 file */
  fields2018: (Anime2018Fields | null)[];
}

const STATUS_NAMES = ["Finished Airing", "Currently Airing", "Not yet aired"];
const TV = TYPES.indexOf("TV");
const MOVIE = TYPES.indexOf("Movie");
const MUSIC = TYPES.indexOf("Music");
const ONA = TYPES.indexOf("ONA");
const OVA = TYPES.indexOf("OVA");

export function buildCatalogue(seed: number, hidden: HiddenItems): Catalogue {
  const n = hidden.count;
  const listed = listedIndices(hidden);
  const listedRank = rankAmong(
    listed,
    (a, b) => hidden.popularityRank[a] - hidden.popularityRank[b],
    n,
  );
  const popularityFraction = new Float64Array(n);
  for (const i of listed) {
    popularityFraction[i] = (listedRank[i] - 1) / Math.max(1, listed.length - 1);
  }

  const titles = makeTitles(new Rng(seed, "titles"), n);
  const score = makeScores(new Rng(seed, "scores"), hidden, popularityFraction);
  const synopses = makeSynopses(new Rng(seed, "synopses"), hidden, titles, popularityFraction);
  const scoreRank = rankAmong(
    listed.filter((i) => !Number.isNaN(score[i])),
    (a, b) => score[b] - score[a] || listedRank[a] - listedRank[b],
    n,
  );

  const rng = new Rng(seed, "metadata");
  const rows: (string[] | null)[] = new Array(n).fill(null);
  const source = new Uint8Array(n);
  const members = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    source[i] = rng.weightedIndex(SOURCE_WEIGHTS);
    if (hidden.legacy[i]) continue;
    members[i] = Math.max(0, Math.round(3.7e6 * (7 / (listedRank[i] + 6)) ** 1.5));
    rows[i] = animeRow(rng, hidden, i, {
      title: titles[i],
      score: score[i],
      synopsis: synopses[i],
      source: SOURCES[source[i]],
      rank: scoreRank[i],
      popularity: listedRank[i],
      members: members[i],
    });
  }
  const fields2018 = makeFields2018(rng, hidden, titles, score, source, members);
  return { titles, score, rows, fields2018 };
}

function listedIndices(hidden: HiddenItems): number[] {
  const listed: number[] = [];
  for (let i = 0; i < hidden.count; i++) if (!hidden.legacy[i]) listed.push(i);
  return listed;
}

/** 1-based rank of each of `members` under `compare`; 0 for items not in `members`. */
function rankAmong(
  members: number[],
  compare: (a: number, b: number) => number,
  n: number,
): Int32Array {
  const rank = new Int32Array(n);
  members.slice().sort(compare).forEach((item, r) => (rank[item] = r + 1));
  return rank;
}

function makeTitles(rng: Rng, n: number): AnimeTitle[] {
  const maker = new TitleMaker(rng);
  return titleStyles(rng, n).map((style) => maker.make(style));
}

/**
 * Score = f(quality); unknown for unaired anime (the last 2% of ids, so always some) and,
 * mostly, the least popular fifth.
 */
function makeScores(rng: Rng, hidden: HiddenItems, popularityFraction: Float64Array): Float64Array {
  const score = new Float64Array(hidden.count);
  for (let i = 0; i < hidden.count; i++) {
    const value = 6.45 + 0.85 * hidden.quality[i] + 0.12 * rng.normal();
    score[i] = Math.round(Math.min(9.2, Math.max(1.85, value)) * 100) / 100;
    const unknownChance = 1 / (1 + Math.exp(-25 * (popularityFraction[i] - 0.8)));
    if (
      !hidden.legacy[i] &&
      (hidden.status[i] === STATUS_NOT_YET_AIRED || rng.uniform() < unknownChance)
    ) {
      score[i] = NaN;
    }
  }
  return score;
}

function makeSynopses(
  rng: Rng,
  hidden: HiddenItems,
  titles: AnimeTitle[],
  popularityFraction: Float64Array,
): string[] {
  const kinds = synopsisKinds(rng, popularityFraction);
  const writer = new SynopsisWriter(rng);
  return kinds.map((kind, i) =>
    hidden.legacy[i] ? "" : writer.write(
      kind,
      titles[i].name,
      hidden.genres[i],
      hidden.quality[i],
      popularityFraction[i],
    )
  );
}

interface RowFacts {
  title: AnimeTitle;
  score: number;
  synopsis: string;
  source: string;
  rank: number;
  popularity: number;
  members: number;
}

function animeRow(rng: Rng, hidden: HiddenItems, i: number, facts: RowFacts): string[] {
  const type = hidden.type[i];
  const status = hidden.status[i];
  const unaired = status === STATUS_NOT_YET_AIRED;
  const episodes = episodeCount(rng, type);
  const episodesKnown = status === STATUS_AIRING || unaired
    ? rng.chance(0.3)
    : type !== TYPES.length - 1;
  const scored = !Number.isNaN(facts.score);
  const favorites = Math.floor(
    facts.members * 0.01 * Math.exp(1.1 * hidden.quality[i] + 0.3 * rng.normal()),
  );
  const scoredBy = Math.round(facts.members * (0.45 + 0.2 * rng.uniform()));
  const month = rng.int(12);
  const hasImage = !unaired || rng.chance(0.7);
  return [
    String(hidden.animeId[i]),
    facts.title.name,
    facts.title.english,
    facts.title.other,
    scored ? facts.score.toFixed(2) : UNKNOWN_SCORE,
    rng.chance(unaired ? 0.3 : 0.03)
      ? UNKNOWN
      : Array.from(hidden.genres[i], (g) => GENRES[g].name).join(", "),
    facts.synopsis,
    TYPES[type],
    episodesKnown ? `${episodes}.0` : UNKNOWN,
    aired(rng, hidden.year[i], month, episodes, type, status),
    type === TV && !unaired ? `${SEASONS[Math.floor(month / 3)]} ${hidden.year[i]}` : UNKNOWN,
    STATUS_NAMES[status],
    rng.chance(0.35) ? UNKNOWN : rng.sample(PRODUCERS, rng.between(1, 4)).join(", "),
    rng.chance(0.75) ? UNKNOWN : rng.sample(LICENSORS, rng.between(1, 2)).join(", "),
    rng.chance(0.12) ? UNKNOWN : rng.sample(STUDIOS, rng.chance(0.05) ? 2 : 1).join(", "),
    facts.source,
    duration(rng, type),
    AGE_RATINGS[rng.weightedIndex(AGE_RATING_WEIGHTS)],
    scored ? `${facts.rank}.0` : UNKNOWN,
    String(facts.popularity),
    String(favorites),
    scored ? `${scoredBy}.0` : UNKNOWN,
    String(facts.members),
    hasImage
      ? `https://cdn.myanimelist.net/images/anime/${1 + (hidden.animeId[i] % 13)}/${
        10_000 + ((hidden.animeId[i] * 7_919) % 130_000)
      }.jpg`
      : "https://cdn.myanimelist.net/img/sp/icon/apple-touch-icon-256.png",
  ];
}

function episodeCount(rng: Rng, type: number): number {
  if (type === TV) {
    return rng.pick([12, 12, 13, 13, 24, 25, 26, 26, 10, 11, 22, 39, 50, 51, 52, 64, 148]);
  }
  if (type === ONA) return rng.between(1, 24);
  if (type === MOVIE || type === MUSIC) return 1;
  return rng.between(1, 6);
}

function aired(
  rng: Rng,
  year: number,
  month: number,
  episodes: number,
  type: number,
  status: number,
): string {
  if (status === STATUS_NOT_YET_AIRED) {
    return rng.chance(0.5) ? `${year} to ?` : `${MONTHS[month]} ${year}`;
  }
  if (rng.chance(0.01)) return "Not available";
  const start = new Date(Date.UTC(year, month, rng.between(1, 28)));
  if (status === STATUS_AIRING) return `${formatDate(start)} to ?`;
  if (episodes <= 1 || type === MOVIE || type === MUSIC) return formatDate(start);
  const end = new Date(start.getTime() + (episodes - 1) * 7 * 86_400_000);
  return `${formatDate(start)} to ${formatDate(end)}`;
}

function formatDate(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

function duration(rng: Rng, type: number): string {
  if (type === TV) return rng.chance(0.7) ? "24 min per ep" : "23 min per ep";
  if (type === MOVIE) return `${rng.between(1, 2)} hr ${rng.between(0, 59)} min`;
  if (type === OVA) return `${rng.between(20, 50)} min per ep`;
  if (type === ONA) return `${rng.between(2, 25)} min per ep`;
  if (type === MUSIC) return `${rng.between(2, 6)} min`;
  if (type === TYPES.length - 1) return "Unknown";
  return `${rng.between(2, 30)} min`;
}

/** The 2018 scrape's view of each eligible anime: older score, counts and genre names. */
function makeFields2018(
  rng: Rng,
  hidden: HiddenItems,
  titles: AnimeTitle[],
  score: Float64Array,
  source: Uint8Array,
  members: Float64Array,
): (Anime2018Fields | null)[] {
  const eligible: number[] = [];
  for (let i = 0; i < hidden.count; i++) if (hidden.eligible2018[i]) eligible.push(i);
  const score2018 = new Float64Array(hidden.count);
  for (const i of eligible) {
    const base = Number.isNaN(score[i]) ? 6.15 + 0.85 * hidden.quality[i] : score[i];
    score2018[i] = Math.round(Math.min(9.3, Math.max(1.5, base + 0.08 * rng.normal())) * 100) / 100;
  }
  const rank = rankAmong(eligible, (a, b) => score2018[b] - score2018[a], hidden.count);
  const popularity = rankAmong(
    eligible,
    (a, b) => hidden.popularityRank[a] - hidden.popularityRank[b],
    hidden.count,
  );
  const fields: (Anime2018Fields | null)[] = new Array(hidden.count).fill(null);
  for (const i of eligible) {
    const themes = rng.sample(THEMES_2018, rng.weightedIndex([40, 40, 20]));
    const genre = [...new Set([...hidden.genres[i]].map((g) => GENRES[g].name2018).concat(themes))]
      .sort();
    const memberCount = members[i] > 0
      ? members[i]
      : 50 * (hidden.count - hidden.popularityRank[i] + 1);
    fields[i] = {
      title: titles[i].name,
      type: TYPES[hidden.type[i]],
      source: SOURCES[source[i]],
      score: score2018[i].toFixed(2),
      scoredBy: `${Math.round(memberCount * 0.35)}.0`,
      rank: `${rank[i]}.0`,
      popularity: `${popularity[i]}.0`,
      genre: genre.join(", "),
    };
  }
  return fields;
}
