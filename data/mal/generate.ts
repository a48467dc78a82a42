/**
 * A deterministic stand-in for the MyAnimeList 2023 Kaggle dump: writes the three CSV files the
 * study uses, with their exact names, columns and quirks, so the runner works without the real
 * download. Same seed and scale give byte-identical files.
 */
import { join } from "node:path";
import { ANIME_DATASET_COLUMNS, MAL_FILES as MAL_FILE_NAMES } from "./columns.ts";
import { buildCatalogue } from "./generate/catalogue.ts";
import { CsvFileWriter, csvRow } from "./generate/csv_writer.ts";
import {
  generateHiddenItems,
  type HiddenItems,
  STATUS_NOT_YET_AIRED,
} from "./generate/hidden_items.ts";
import { generatePopulation } from "./generate/population.ts";
import { Rng } from "./generate/random.ts";
import { writeRatingFiles } from "./generate/rating_files.ts";
import { isMalScale, type MalScale, scaleConfig } from "./generate/scales.ts";

export type { MalScale } from "./generate/scales.ts";

/** The generated files, named as in the Kaggle dump (columns.ts holds names and headers). */
export const MAL_FILES = {
  anime: MAL_FILE_NAMES.items,
  ratings2023: MAL_FILE_NAMES.ratings2023,
  ratings2018: MAL_FILE_NAMES.ratings2018,
} as const;

export interface GenerateOptions {
  scale: MalScale;
  seed: number;
  onProgress?: (done: number, total: number) => void;
  /** rows of final_animedataset.csv; defaults to the scale's (5 M at full scale, not 35 M) */
  ratings2018?: number;
}

export interface GeneratedSummary {
  /** rows of anime-dataset-2023.csv */
  anime: number;
  ratings2023: number;
  ratings2018: number;
  /** distinct users over both rating files */
  users: number;
  users2023: number;
  users2018: number;
  /** absolute path of each file, keyed like MAL_FILES */
  files: Record<string, string>;
}

export async function generateMalDataset(
  dir: string,
  options: GenerateOptions,
): Promise<GeneratedSummary> {
  if (!isMalScale(options.scale)) {
    throw new Error(
      `generateMalDataset: scale must be tiny, default or full, got ${
        JSON.stringify(options.scale)
      }`,
    );
  }
  if (!Number.isFinite(options.seed)) {
    throw new Error(`generateMalDataset: seed must be a finite number, got ${options.seed}`);
  }
  const config = scaleConfig(options.scale, options.ratings2018);
  const seed = options.seed;
  await Deno.mkdir(dir, { recursive: true });
  const root = await Deno.realPath(dir);
  const files = {
    anime: join(root, MAL_FILES.anime),
    ratings2023: join(root, MAL_FILES.ratings2023),
    ratings2018: join(root, MAL_FILES.ratings2018),
  };

  const hidden = generateHiddenItems(new Rng(seed, "items"), config);
  const catalogue = buildCatalogue(seed, hidden);
  const animeRows = await writeAnimeFile(files.anime, catalogue.rows);

  const candidates2023 = candidates(
    hidden,
    (i) => !hidden.legacy[i] && hidden.status[i] !== STATUS_NOT_YET_AIRED,
  );
  const candidates2018 = candidates(hidden, (i) => hidden.eligible2018[i] === 1);
  const population = generatePopulation(
    new Rng(seed, "users"),
    config,
    candidates2023.length,
    candidates2018.length,
  );
  const written = await writeRatingFiles(files.ratings2023, files.ratings2018, {
    seed,
    hidden,
    catalogue,
    population,
    candidates2023,
    candidates2018,
    onProgress: options.onProgress,
  });
  return {
    anime: animeRows,
    ratings2023: written.rows2023,
    ratings2018: written.rows2018,
    users: population.count,
    users2023: config.users2023,
    users2018: config.users2018,
    files,
  };
}

async function writeAnimeFile(path: string, rows: (string[] | null)[]): Promise<number> {
  const out = await CsvFileWriter.create(path, ANIME_DATASET_COLUMNS);
  try {
    let count = 0;
    for (const row of rows) {
      if (row === null) continue;
      await out.writeText(csvRow(row));
      count++;
    }
    await out.close();
    return count;
  } catch (error) {
    await out.abandon();
    throw error;
  }
}

function candidates(hidden: HiddenItems, keep: (item: number) => boolean): Int32Array {
  const items: number[] = [];
  for (let i = 0; i < hidden.count; i++) if (keep(i)) items.push(i);
  return Int32Array.from(items);
}
