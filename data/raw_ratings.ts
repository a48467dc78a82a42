/**
 * Ratings exactly as a file holds them: original ids, one entry per row, file order (the
 * study's splits depend on that order). Dense ids come later, after cleaning.
 */
export interface RawRatings {
  userId: Int32Array;
  /** original item id (anime_id for MyAnimeList, movieId for MovieLens) */
  animeId: Int32Array;
  /** NaN where the file had no value */
  rating: Float32Array;
  /** seconds since 1970, when the file has them (MovieLens; MAL's files have none) */
  timestamp?: Int32Array;
}
