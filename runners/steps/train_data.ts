import { csrByUser } from "../../data/ratings.ts";
import type { TrainData } from "../../models/model.ts";
import type { SeenFrom } from "../../models/recommender_fields.ts";
import type { Artifact } from "../table.ts";

/** Assembles a model's view of the clean ratings and their split. */
export function trainDataOf(clean: Artifact, split: Artifact): TrainData {
  const r = clean.tables.ratings;
  const userIds = clean.tables.users.user_id as Int32Array;
  const itemIds = clean.tables.items.anime_id as Int32Array;
  return {
    ratings: {
      user: r.user as Int32Array,
      item: r.item as Int32Array,
      rating: r.rating as Float32Array,
      userIds,
      itemIds,
    },
    train: split.tables.train.row as Int32Array,
    dev: split.tables.dev.row as Int32Array,
    nUsers: userIds.length,
    nItems: itemIds.length,
    scale: (clean.meta.scale as [number, number]) ?? [1, 10],
  };
}

/** The rows whose items count as seen by a user: all its training rows, even when sampled. */
export function seenRows(split: Artifact): Int32Array {
  return (split.tables.seen?.row ?? split.tables.train.row) as Int32Array;
}

/**
 * The rows whose items a recommender treats as seen (its `seen_from`): all training rows, or
 * only the sampled ones the model was fitted on (the study's SVD++ script: its train_df).
 */
export function seenRowsFrom(split: Artifact, from: SeenFrom): Int32Array {
  return from === "sample" ? (split.tables.train.row as Int32Array) : seenRows(split);
}

/** Items per user over some rows, as CSR of dense item indices. */
export function itemsByUser(data: TrainData, rows: Int32Array) {
  const csr = csrByUser(data.ratings.user, rows, data.nUsers);
  const values = new Int32Array(csr.values.length);
  for (let p = 0; p < values.length; p++) values[p] = data.ratings.item[csr.values[p]];
  return { offsets: csr.offsets, values };
}
