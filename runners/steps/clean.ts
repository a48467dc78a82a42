import { cleanItems, type CleanOptions, cleanRatings } from "../../data/mal/clean.ts";
import type { Artifact } from "../table.ts";
import type { StepKind } from "./step.ts";

export interface CleanParams extends CleanOptions {
  files: Array<"ratings2018" | "ratings2023">;
}

/** The study's cleaning (items by synopsis length, ratings > 0 on clean items), plus options. */
export const cleanStep: StepKind<CleanParams> = {
  kind: "clean",
  modules: [import.meta.url],
  describe: (p) =>
    `synopsis ${p.synopsis_min}..${p.synopsis_max}, files ${p.files.join("+")}${
      p.dedupe ? ", dedupe" : ""
    }`,
  run(params, inputs, ctx) {
    const items = inputs.load.tables.items;
    const animeId = items.anime_id as Int32Array;
    const synopsis = items.synopsis as string[];
    const score = items.score as Float32Array;
    const itemClean = cleanItems(synopsis, params);
    const keptRows: number[] = [];
    for (let i = 0; i < animeId.length; i++) if (itemClean.keep[i]) keptRows.push(i);
    const keptIds = Int32Array.from(keptRows, (i) => animeId[i]);
    const parts = params.files.map((name) => {
      const t = inputs.load.tables[name];
      return {
        name,
        ratings: {
          userId: t.user_id as Int32Array,
          animeId: t.anime_id as Int32Array,
          rating: t.rating as Float32Array,
        },
      };
    });
    const { ratings, counts } = cleanRatings(parts, keptIds, params);
    const all = { ...itemClean.counts, ...counts };
    for (const [name, value] of Object.entries(all)) ctx.log(`${name}: ${value}`);
    const artifact: Artifact = {
      tables: {
        ratings: { user: ratings.user, item: ratings.item, rating: ratings.rating },
        users: { user_id: ratings.userIds },
        items: { anime_id: ratings.itemIds },
        clean_items: {
          anime_id: keptIds,
          score: Float32Array.from(keptRows, (i) => score[i]),
          synopsis: keptRows.map((i) => synopsis[i]),
        },
      },
      meta: { counts: all, scale: [1, 10] },
    };
    return Promise.resolve(artifact);
  },
};
