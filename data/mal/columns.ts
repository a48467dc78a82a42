/**
 * The MyAnimeList 2023 Kaggle files (dbdmobile/myanimelist-dataset) this project reads:
 * exact file names and headers as published.
 */

export const MAL_FILES = {
  items: "anime-dataset-2023.csv",
  ratings2023: "users-score-2023.csv",
  ratings2018: "final_animedataset.csv",
} as const;

export type MalFileKey = keyof typeof MAL_FILES;

export const ANIME_DATASET_COLUMNS = [
  "anime_id",
  "Name",
  "English name",
  "Other name",
  "Score",
  "Genres",
  "Synopsis",
  "Type",
  "Episodes",
  "Aired",
  "Premiered",
  "Status",
  "Producers",
  "Licensors",
  "Studios",
  "Source",
  "Duration",
  "Rating",
  "Rank",
  "Popularity",
  "Favorites",
  "Scored By",
  "Members",
  "Image URL",
] as const;

export const USERS_SCORE_COLUMNS = [
  "user_id",
  "Username",
  "anime_id",
  "Anime Title",
  "rating",
] as const;

export const FINAL_ANIMEDATASET_COLUMNS = [
  "username",
  "anime_id",
  "my_score",
  "user_id",
  "gender",
  "title",
  "type",
  "source",
  "score",
  "scored_by",
  "rank",
  "popularity",
  "genre",
] as const;

/** `Score` of an anime nobody has scored yet. */
export const UNKNOWN_SCORE = "UNKNOWN";

/** The text the dataset uses in place of a missing synopsis. */
export const MISSING_SYNOPSIS = "No description available for this anime.";
