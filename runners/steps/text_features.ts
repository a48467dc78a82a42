import type { TextRidgeFeature } from "../../models/text_ridge/config.ts";
import { fromPairs, selectRows } from "../../data/item_features.ts";
import type { ItemColumns } from "../../models/text_ridge/features.ts";
import { UserError } from "../errors.ts";
import type { Table } from "../table.ts";
import type { StepKind } from "./step.ts";

export interface TextFeaturesParams {
  features: TextRidgeFeature[];
  min_df: number;
  max_features: number;
  sublinear_tf: boolean;
}

/**
 * The text ridge's design matrix: TF-IDF blocks of the items' synopses (and catalogue
 * columns), vocabularies learnt on the training items; rows train, dev, test in that order,
 * as sparse rows. A step of its own, so a sweep over λ never re-tokenises.
 */
export const textFeaturesStep: StepKind<TextFeaturesParams> = {
  kind: "text_features",
  modules: [import.meta.url],
  describe: (p) =>
    `TF-IDF of ${p.features.join(", ")}, min_df ${p.min_df}, at most ${p.max_features} ` +
    `terms per block${p.sublinear_tf ? ", sublinear tf" : ""}`,
  async run(params, inputs, ctx) {
    const { designMatrix } = await import("../../models/text_ridge/features.ts");
    const rows = (part: string) => inputs.split.tables[part].row as Int32Array;
    const [train, dev, test] = [rows("train"), rows("dev"), rows("test")];
    const all = new Int32Array(train.length + dev.length + test.length);
    all.set(train);
    all.set(dev, train.length);
    all.set(test, train.length + dev.length);
    const columns = itemColumns(
      inputs.load.tables,
      inputs.clean.tables.clean_items,
      params.features,
    );
    const design = designMatrix(columns, params.features, train, all, params);
    if (design.x.cols === 0) {
      throw new UserError(
        `no term of ${params.features.join(", ")} is in ${params.min_df} or more of the ` +
          `${train.length} training items, so there is nothing to fit: lower model.min_df`,
        { path: "model.min_df" },
      );
    }
    for (const [feature, count] of Object.entries(design.blockColumns)) {
      if (count === 0) {
        ctx.log(`warning: ${feature} has no term in ${params.min_df}+ training items`);
      }
    }
    const blocks = Object.entries(design.blockColumns).map(([f, n]) => `${f} ${n}`).join(", ");
    ctx.log(
      `${all.length} items x ${design.x.cols} columns (${blocks}), ` +
        `${design.x.values.length} non-zeros`,
    );
    return {
      tables: {
        rows: { offset: design.x.offsets },
        entries: { column: design.x.columns, value: design.x.values },
        columns: { name: design.names, idf: design.idf },
      },
      meta: {
        columns: design.x.cols,
        blocks: design.blockColumns,
        items: { train: train.length, dev: dev.length, test: test.length },
      },
    };
  },
};

/** Synopses and the catalogue columns asked for, per clean item (looked up by anime id). */
function itemColumns(
  load: Record<string, Table>,
  cleanItems: Table,
  features: readonly TextRidgeFeature[],
): ItemColumns {
  const animeId = cleanItems.anime_id as Int32Array;
  const loadIds = load.items.anime_id as Int32Array;
  const rowOf = new Map<number, number>();
  for (let r = 0; r < loadIds.length; r++) if (!rowOf.has(loadIds[r])) rowOf.set(loadIds[r], r);
  const loadRow = Int32Array.from(animeId, (id) => rowOf.get(id)!);
  const columns: ItemColumns = { synopsis: cleanItems.synopsis as string[] };
  const sources = {
    genres: { pairs: "item_genres", value: "genre", names: "genres", header: "Genres" },
    type: { pairs: "item_type", value: "value", names: "type_names", header: "Type" },
    studios: { pairs: "item_studios", value: "value", names: "studios_names", header: "Studios" },
  } as const;
  for (const feature of features) {
    if (feature === "synopsis") continue;
    const source = sources[feature];
    const pairs = load[source.pairs];
    if (!pairs) {
      throw new UserError(
        `the items file (anime-dataset-2023.csv) has no "${source.header}" column, ` +
          `so "${feature}" cannot be a feature; drop it or use a file with the column`,
        { path: "model.features" },
      );
    }
    // (row, value) pairs of the items file -> value lists of the clean items
    const byRow = fromPairs(
      pairs.row as Int32Array,
      pairs[source.value] as Int32Array,
      loadIds.length,
    );
    columns[feature] = {
      ...selectRows(byRow, loadRow),
      names: load[source.names].name as string[],
    };
  }
  return columns;
}
