/**
 * Streams users-score-2023.csv and final_animedataset.csv in one pass over the users, so no
 * rating is held beyond the user being written (ratings follow rating_model.ts). Shared users
 * re-rate part of their 2023 anime in the 2018 file (with fresh noise), so the same pair can
 * appear in both files.
 */
import { FINAL_ANIMEDATASET_COLUMNS, USERS_SCORE_COLUMNS } from "../columns.ts";
import type { Catalogue } from "./catalogue.ts";
import { ByteArena, csvField, CsvFileWriter, writeUtf8 } from "./csv_writer.ts";
import { FACTOR_DIMS, type HiddenItems } from "./hidden_items.ts";
import { DistinctItemSampler } from "./item_sampler.ts";
import { UsernameMaker } from "./names.ts";
import { IN_2018, IN_2023, type Population } from "./population.ts";
import { Rng } from "./random.ts";
import { calibrateOffset, clipRating, NOISE_SD } from "./rating_model.ts";
import { GENDER_WEIGHTS_2018, GENDERS_2018 } from "./vocabulary.ts";

/** (user, anime) pairs drawn to calibrate the rating offset */
const CALIBRATION_PAIRS = 100_000;
/** share of 2018 rows with my_score 0 ("watched, not scored") */
const NOT_SCORED_SHARE = 0.15;
/** chance that a shared user's 2023 anime (if it existed in 2018) is also in their 2018 list */
const OVERLAP_CHANCE = 0.6;
const PROGRESS_EVERY_ROWS = 250_000;
/** room for one user's prefixes: id, username, gender and separators */
const USER_BYTES = 1024;

export interface RatingFilesResult {
  rows2023: number;
  rows2018: number;
}

export interface RatingFilesInput {
  seed: number;
  hidden: HiddenItems;
  catalogue: Catalogue;
  population: Population;
  candidates2023: Int32Array;
  candidates2018: Int32Array;
  onProgress?: (done: number, total: number) => void;
}

export async function writeRatingFiles(
  path2023: string,
  path2018: string,
  input: RatingFilesInput,
): Promise<RatingFilesResult> {
  const out2023 = await CsvFileWriter.create(path2023, USERS_SCORE_COLUMNS);
  let out2018: CsvFileWriter | undefined;
  try {
    out2018 = await CsvFileWriter.create(path2018, FINAL_ANIMEDATASET_COLUMNS);
    const rows = new UserRows(input, out2023, out2018);
    const users = input.population;
    const total = sum(users.count2023) + sum(users.count2018);
    let nextReport = PROGRESS_EVERY_ROWS;
    for (let u = 0; u < users.count; u++) {
      rows.write(u);
      await out2023.flushIfFull();
      await out2018.flushIfFull();
      if (input.onProgress && rows.rows2023 + rows.rows2018 >= nextReport) {
        input.onProgress(rows.rows2023 + rows.rows2018, total);
        nextReport += PROGRESS_EVERY_ROWS;
      }
    }
    input.onProgress?.(rows.rows2023 + rows.rows2018, total);
    await out2023.close();
    await out2018.close();
    return { rows2023: rows.rows2023, rows2018: rows.rows2018 };
  } catch (error) {
    await out2023.abandon();
    await out2018?.abandon();
    throw error;
  }
}

/** Draws and writes one user's rows; synchronous so V8 keeps the hot loops optimized. */
class UserRows {
  rows2023 = 0;
  rows2018 = 0;
  private readonly hidden: HiddenItems;
  private readonly users: Population;
  private readonly rng: Rng;
  private readonly usernames: UsernameMaker;
  private readonly sampler2023: DistinctItemSampler;
  private readonly sampler2018: DistinctItemSampler;
  private readonly fragments: ItemFragments;
  private readonly userBytes = new Uint8Array(USER_BYTES);
  private readonly items2023: Int32Array;
  private readonly dots2023: Float64Array;
  private readonly items2018: Int32Array;
  private readonly dots2018: Float64Array;
  /** longest per-anime part of a row, to reserve buffer room per user */
  private readonly itemBytes2023: number;
  private readonly itemBytes2018: number;
  /** added to every latent rating so the 2023 ratings average TARGET_MEAN */
  private readonly offset: number;

  constructor(
    input: RatingFilesInput,
    private readonly out2023: CsvFileWriter,
    private readonly out2018: CsvFileWriter,
  ) {
    const { hidden, population } = input;
    this.hidden = hidden;
    this.users = population;
    this.rng = new Rng(input.seed, "ratings");
    this.usernames = new UsernameMaker(new Rng(input.seed, "usernames"));
    this.sampler2023 = new DistinctItemSampler(
      input.candidates2023,
      hidden.popularityWeight,
      hidden.factors,
    );
    this.sampler2018 = new DistinctItemSampler(
      input.candidates2018,
      hidden.popularityWeight,
      hidden.factors,
    );
    this.fragments = itemFragments(hidden, input.catalogue);
    const maxCount = Math.max(1, largest(population.count2023), largest(population.count2018));
    this.items2023 = new Int32Array(maxCount);
    this.dots2023 = new Float64Array(maxCount);
    this.items2018 = new Int32Array(maxCount);
    this.dots2018 = new Float64Array(maxCount);
    this.itemBytes2023 = this.fragments.idTitle2023.longest;
    this.itemBytes2018 = this.fragments.id2018.longest + this.fragments.anime2018.longest;
    this.offset = this.calibrate(new Rng(input.seed, "calibration"));
  }

  /**
   * Draws pairs as the 2023 file will (from its own stream) and calibrates the offset on them.
   * The sample covers only the first users, so its share of user bias is corrected to the
   * whole population's (a control variate: heavy raters make that share noisy).
   */
  private calibrate(rng: Rng): number {
    const { hidden, users, items2023: items, dots2023: dots } = this;
    const latent = new Float64Array(CALIBRATION_PAIRS);
    let count = 0;
    let sampleBias = 0;
    for (let u = 0; u < users.count && count < CALIBRATION_PAIRS; u++) {
      if (!(users.files[u] & IN_2023)) continue;
      this.sampler2023.beginUser();
      const n = Math.min(users.count2023[u], CALIBRATION_PAIRS - count);
      this.sampler2023.draw(rng, n, users.factors, u * FACTOR_DIMS, items, dots, 0);
      for (let k = 0; k < n; k++) {
        latent[count++] = users.bias[u] + hidden.bias[items[k]] + dots[k] + NOISE_SD * rng.normal();
      }
      sampleBias += n * users.bias[u];
    }
    let populationBias = 0;
    let populationRows = 0;
    for (let u = 0; u < users.count; u++) {
      populationBias += users.count2023[u] * users.bias[u];
      populationRows += users.count2023[u];
    }
    const shift = count > 0 ? populationBias / populationRows - sampleBias / count : 0;
    for (let i = 0; i < count; i++) latent[i] += shift;
    return calibrateOffset(latent, count);
  }

  write(u: number): void {
    const users = this.users;
    const username = this.usernames.make(users.userId[u]);
    const taken2023 = users.files[u] & IN_2023 ? this.write2023(u, username) : 0;
    if (users.files[u] & IN_2018) this.write2018(u, username, taken2023);
  }

  /** Writes the user's 2023 rows; returns how many (their items stay in items2023). */
  private write2023(u: number, username: string): number {
    const { hidden, users, rng, out2023: out, userBytes, items2023: items, dots2023: dots } = this;
    this.sampler2023.beginUser();
    const taken = this.sampler2023.draw(
      rng,
      users.count2023[u],
      users.factors,
      u * FACTOR_DIMS,
      items,
      dots,
      0,
    );
    const prefixEnd = writeUtf8(`${users.userId[u]},${csvField(username)},`, userBytes, 0);
    const userMean = this.offset + users.bias[u];
    out.reserve(taken * (prefixEnd + this.itemBytes2023 + 3)); // + rating and newline
    for (let k = 0; k < taken; k++) {
      const item = items[k];
      out.putSlice(userBytes, 0, prefixEnd);
      out.putFromArena(this.fragments.idTitle2023, item);
      out.putInt(clipRating(userMean + hidden.bias[item] + dots[k] + NOISE_SD * rng.normal()));
      out.putByte(10);
    }
    this.rows2023 += taken;
    return taken;
  }

  /** Writes the user's 2018 rows: some re-rated 2023 anime (shared users), the rest new. */
  private write2018(u: number, username: string, taken2023: number): void {
    const { hidden, users, rng, out2018: out, userBytes, items2018: items, dots2018: dots } = this;
    const wanted = users.count2018[u];
    this.sampler2018.beginUser();
    let taken = 0;
    for (let k = 0; k < taken2023 && taken < wanted; k++) {
      const item = this.items2023[k];
      if (hidden.eligible2018[item] && rng.uniform() < OVERLAP_CHANCE) {
        this.sampler2018.take(item);
        items[taken] = item;
        dots[taken] = this.dots2023[k];
        taken++;
      }
    }
    taken = this.sampler2018.draw(
      rng,
      wanted - taken,
      users.factors,
      u * FACTOR_DIMS,
      items,
      dots,
      taken,
    );
    const gender = GENDERS_2018[rng.weightedIndex(GENDER_WEIGHTS_2018)];
    const prefixEnd = writeUtf8(`${csvField(username)},`, userBytes, 0);
    const middleEnd = writeUtf8(`,${users.userId[u]},${gender},`, userBytes, prefixEnd);
    const userMean = this.offset + users.bias[u];
    out.reserve(taken * (middleEnd + this.itemBytes2018 + 2)); // + my_score
    for (let k = 0; k < taken; k++) {
      const item = items[k];
      const score = clipRating(userMean + hidden.bias[item] + dots[k] + NOISE_SD * rng.normal());
      out.putSlice(userBytes, 0, prefixEnd);
      out.putFromArena(this.fragments.id2018, item);
      out.putInt(rng.uniform() < NOT_SCORED_SHARE ? 0 : score);
      out.putSlice(userBytes, prefixEnd, middleEnd);
      out.putFromArena(this.fragments.anime2018, item);
    }
    this.rows2018 += taken;
  }
}

function largest(values: Int32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

function sum(values: Int32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

interface ItemFragments {
  /** `anime_id,Anime Title,` */
  idTitle2023: ByteArena;
  /** `anime_id,` */
  id2018: ByteArena;
  /** `title,type,source,score,scored_by,rank,popularity,genre\n` (empty if not in 2018) */
  anime2018: ByteArena;
}

/** Per-anime bytes, encoded once, that every rating row of that anime repeats. */
function itemFragments(hidden: HiddenItems, catalogue: Catalogue): ItemFragments {
  const idTitle2023: string[] = [];
  const id2018: string[] = [];
  const anime2018: string[] = [];
  for (let i = 0; i < hidden.count; i++) {
    const id = hidden.animeId[i];
    idTitle2023.push(`${id},${csvField(catalogue.titles[i].name)},`);
    id2018.push(`${id},`);
    const f = catalogue.fields2018[i];
    anime2018.push(
      f === null
        ? ""
        : [f.title, f.type, f.source, f.score, f.scoredBy, f.rank, f.popularity, f.genre]
          .map(csvField).join(",") + "\n",
    );
  }
  return {
    idTitle2023: ByteArena.fromStrings(idTitle2023),
    id2018: ByteArena.fromStrings(id2018),
    anime2018: ByteArena.fromStrings(anime2018),
  };
}
