import type { StepKind } from "./step.ts";

export interface LoadMovieLensParams {
  path: string;
  scale: [number, number];
}

/** Reads a MovieLens ratings file (`u.data`, `ratings.csv` or `ratings.dat`). */
export const loadMovieLensStep: StepKind<LoadMovieLensParams> = {
  kind: "load_movielens",
  modules: [import.meta.url],
  describe: (p) => `MovieLens ratings from ${p.path}`,
  async run(params, _inputs, ctx) {
    const { loadMovieLens } = await import("../../data/movielens/load.ts");
    const ratings = await loadMovieLens(params.path, { scale: params.scale });
    ctx.log(`${ratings.rating.length} ratings`);
    return {
      tables: {
        ratings: {
          user_id: ratings.userId,
          item_id: ratings.animeId,
          rating: ratings.rating,
          // carried to the splits by time (leave_last, temporal)
          ...(ratings.timestamp ? { timestamp: ratings.timestamp } : {}),
        },
      },
      meta: { counts: { rows_read: ratings.rating.length } },
    };
  },
};
