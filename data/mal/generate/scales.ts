/** Sizes of the generated MAL dataset at each scale. */

export type MalScale = "tiny" | "default" | "full";

export interface ScaleConfig {
  /** anime listed in anime-dataset-2023.csv */
  anime: number;
  /** anime that only appear in the 2018 ratings (gone from the 2023 catalogue) */
  legacyAnime: number;
  /** users with rows in users-score-2023.csv */
  users2023: number;
  /** rows of users-score-2023.csv (exact) */
  ratings2023: number;
  /** users with rows in final_animedataset.csv */
  users2018: number;
  /** share of the 2018 users who are also 2023 users (same id and username) */
  sharedUserFraction: number;
  /** rows of final_animedataset.csv (exact) */
  ratings2018: number;
}

export const SCALES: Readonly<Record<MalScale, ScaleConfig>> = {
  tiny: {
    anime: 200,
    legacyAnime: 6,
    users2023: 300,
    ratings2023: 7_500,
    users2018: 150,
    sharedUserFraction: 0.5,
    ratings2018: 3_000,
  },
  default: {
    anime: 4_000,
    legacyAnime: 60,
    users2023: 30_000,
    ratings2023: 1_000_000,
    users2018: 9_000,
    sharedUserFraction: 0.5,
    ratings2018: 300_000,
  },
  // The real dump's counts for the 2023 files; the 2018 file is cut from 35.3 M rows to 5 M.
  full: {
    anime: 24_905,
    legacyAnime: 400,
    users2023: 270_033,
    ratings2023: 24_325_191,
    users2018: 60_000,
    sharedUserFraction: 0.5,
    ratings2018: 5_000_000,
  },
};

export function isMalScale(value: string): value is MalScale {
  return value === "tiny" || value === "default" || value === "full";
}

/** The scale's configuration, with the 2018 row count (and its users, in proportion) overridden. */
export function scaleConfig(scale: MalScale, ratings2018?: number): ScaleConfig {
  const base = SCALES[scale];
  if (ratings2018 === undefined) return base;
  if (!Number.isInteger(ratings2018) || ratings2018 < 0) {
    throw new Error(
      `generateMalDataset: ratings2018 must be a non-negative integer, got ${ratings2018}`,
    );
  }
  const users2018 = Math.max(
    ratings2018 > 0 ? 2 : 0,
    Math.round(base.users2018 * ratings2018 / base.ratings2018),
  );
  return { ...base, ratings2018, users2018: Math.min(users2018, ratings2018) };
}
