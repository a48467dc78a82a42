import { cleanItems, type CleanOptions, cleanRatings } from "../../data/mal/clean.ts";
import { fromPairs, selectRows, toPairs } from "../../data/item_features.ts";
import type { Csr } from "../../data/ratings.ts";
import type { RawRatings } from "../../data/raw_ratings.ts";
import type { Artifact, Table } from "../table.ts";
import type { StepKind } from "./step.ts";

export interface CleanParams extends CleanOptions {
  source: "mal" | "movielens";
  files: Array<"ratings2018" | "ratings2023">;
  scale: [number, number];
}

/**
 * MAL: the study's cleaning (items by synopsis length, ratings > 0 on clean items), plus
 * options. MovieLens: every item is kept; the options apply. Dense ids come out here.
 */
export const cleanStep: StepKind<CleanParams> = {
  kind: "clean",
  modules: [import.meta.url],
  describe: (p) =>
    p.source === "mal"
      ? `synopsis ${p.synopsis_min}..${p.synopsis_max}, files ${p.files.join("+")}${options(p)}`
      : `MovieLens${options(p)}`,
  run(params, inputs, ctx) {
    const load = inputs.load.tables;
    let parts: Array<{ name: string; ratings: RawRatings }>;
    let keptIds: Int32Array;
    let itemCounts: Record<string, number> = {};
    let cleanItemsTable: Table = {};
    let genresOfRows: Csr | undefined;
    if (params.source === "mal") {
      const animeId = load.items.anime_id as Int32Array;
      const synopsis = load.items.synopsis as string[];
      const score = load.items.score as Float32Array;
      const itemClean = cleanItems(synopsis, params);
      itemCounts = itemClean.counts;
      const keptRows: number[] = [];
      for (let i = 0; i < animeId.length; i++) if (itemClean.keep[i]) keptRows.push(i);
      keptIds = Int32Array.from(keptRows, (i) => animeId[i]);
      cleanItemsTable = {
        anime_id: keptIds,
        score: Float32Array.from(keptRows, (i) => score[i]),
        synopsis: keptRows.map((i) => synopsis[i]),
      };
      parts = params.files.map((name) => ({ name, ratings: rawRatings(load[name], "anime_id") }));
      if (load.item_genres) {
        const pairs = load.item_genres;
        genresOfRows = fromPairs(
          pairs.row as Int32Array,
          pairs.genre as Int32Array,
          animeId.length,
        );
      }
    } else {
      parts = [{ name: "ratings", ratings: rawRatings(load.ratings, "item_id") }];
      keptIds = distinct(parts[0].ratings.animeId);
    }
    const { ratings, counts } = cleanRatings(parts, keptIds, params);
    const all = { ...itemCounts, ...counts };
    ctx.log(Object.entries(all).map(([name, value]) => `${name} ${value}`).join(", "));
    for (const { name } of parts) {
      const repeated = counts[`${name}_duplicate_rows`];
      if (!repeated) continue;
      // Said on a line of its own: a repeated rating weighs twice in training and scoring.
      ctx.log(
        `${name}: ${repeated} rows repeat a (user, anime) pair of the same file; ` +
          `${
            params.duplicates === "drop" ? "dropped" : "kept"
          } (data.clean.duplicates: ${params.duplicates})`,
      );
    }
    const features = genresOfRows
      ? genreTables(genresOfRows, load.items.anime_id as Int32Array, ratings.itemIds, load.genres)
      : {};
    const artifact: Artifact = {
      tables: {
        ...features,
        ratings: {
          user: ratings.user,
          item: ratings.item,
          rating: ratings.rating,
          ...(ratings.timestamp ? { timestamp: ratings.timestamp } : {}),
        },
        users: { user_id: ratings.userIds },
        items: { anime_id: ratings.itemIds },
        clean_items: cleanItemsTable,
      },
      meta: { counts: all, scale: params.scale },
    };
    return Promise.resolve(artifact);
  },
};

/**
 * The genres of the dense items (catalogue order), as (item, genre) pairs: what the diversity
 * metric reads. Looked up by anime id, so every item of the ratings gets the genres of its
 * row in the items file.
 */
function genreTables(
  byRow: Csr,
  rowIds: Int32Array,
  itemIds: Int32Array,
  names: Table,
): Record<string, Table> {
  const rowOf = new Map<number, number>();
  for (let r = 0; r < rowIds.length; r++) if (!rowOf.has(rowIds[r])) rowOf.set(rowIds[r], r);
  const source = Int32Array.from(itemIds, (id) => rowOf.get(id) ?? -1);
  const { item, feature } = toPairs(selectRows(byRow, source));
  return { item_genres: { item, genre: feature }, genres: names };
}

function options(p: CleanParams): string {
  return `${p.dedupe ? ", dedupe" : ""}${p.duplicates === "drop" ? ", repeats dropped" : ""}`;
}

function rawRatings(table: Table, itemColumn: string): RawRatings {
  return {
    userId: table.user_id as Int32Array,
    animeId: table[itemColumn] as Int32Array,
    rating: table.rating as Float32Array,
    ...(table.timestamp ? { timestamp: table.timestamp as Int32Array } : {}),
  };
}

function distinct(ids: Int32Array): Int32Array {
  return Int32Array.from(new Set(ids));
}
