import { toPairs } from "../../data/item_features.ts";
import type { Table } from "../table.ts";
import type { StepKind } from "./step.ts";

export interface LoadParams {
  source: "mal";
  /** the folder given by the user; absent when reading the embedded dataset */
  dir?: string;
  files: Array<"ratings2018" | "ratings2023">;
  /** inclusive [min, max]: a rating outside it stops the run with the file and line */
  scale: [number, number];
}

/** Reads the Kaggle CSV files into typed columns (original ids, file order). */
export const loadStep: StepKind<LoadParams> = {
  kind: "load",
  modules: [import.meta.url],
  describe: (p) => `MAL CSV files from ${p.dir ?? "the embedded dataset"}`,
  async run(params, _inputs, ctx) {
    const { loadMalDirectory } = await import("../../data/mal/load.ts");
    const dir = params.dir ?? ctx.inputFiles("dataset");
    const loaded = await loadMalDirectory(dir, {
      files: params.files,
      scale: params.scale,
      onProgress: (message) => ctx.log(message),
    });
    const tables: Record<string, Table> = {
      items: {
        anime_id: loaded.items.animeId,
        score: loaded.items.score,
        synopsis: loaded.items.synopsis,
      },
    };
    if (loaded.items.genres) {
      // genre ids per row of the items table, as (row, genre) pairs
      const { item, feature } = toPairs(loaded.items.genres.byItem);
      tables.item_genres = { row: item, genre: feature };
      tables.genres = { name: loaded.items.genres.names };
    }
    // Type and Studios alike, as (row, value) pairs and value names (the text ridge reads them)
    for (const key of ["type", "studios"] as const) {
      const lists = loaded.items[key];
      if (!lists) continue;
      const { item, feature } = toPairs(lists.byItem);
      tables[`item_${key}`] = { row: item, value: feature };
      tables[`${key}_names`] = { name: lists.names };
    }
    for (const name of params.files) {
      const ratings = loaded[name];
      if (!ratings) throw new Error(`the loader returned no ${name}`);
      tables[name] = { user_id: ratings.userId, anime_id: ratings.animeId, rating: ratings.rating };
    }
    return { tables, meta: { counts: loaded.counts } };
  },
};
