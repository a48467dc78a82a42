import { models } from "../../models/registry.ts";
import type { StepKind } from "./step.ts";
import { itemsByUser, seenRows, trainDataOf } from "./train_data.ts";

export interface RecommendParams {
  type: string;
  config: Record<string, unknown>;
  k: number;
  exclude_seen: boolean;
  candidates: "all" | "test_items";
  /** whose lists: the users with a row in this part of the split */
  target: "test" | "dev";
}

/** Top-k lists for every user with a target row. */
export const recommendStep: StepKind<RecommendParams> = {
  kind: "recommend",
  modules: [import.meta.url],
  describe: (p) =>
    `top-${p.k} for ${p.target} users, ${p.candidates} candidates${
      p.exclude_seen ? ", seen excluded" : ""
    }`,
  async run(params, inputs, ctx) {
    const model = models[params.type];
    if (!model.recommend) throw new Error(`model ${params.type} does not recommend`);
    const data = trainDataOf(inputs.clean, inputs.split);
    const targetRows = inputs.split.tables[params.target].row as Int32Array;
    const users = distinctUsers(data.ratings.user, targetRows, data.nUsers);
    let candidates: Int32Array | null = null;
    if (params.candidates === "test_items") {
      const seen = new Uint8Array(data.nItems);
      for (let i = 0; i < targetRows.length; i++) seen[data.ratings.item[targetRows[i]]] = 1;
      const list: number[] = [];
      for (let i = 0; i < data.nItems; i++) if (seen[i]) list.push(i);
      candidates = Int32Array.from(list);
    }
    const exclude = params.exclude_seen ? itemsByUser(data, seenRows(inputs.split)) : null;
    const lists = await model.recommend(
      params.config,
      inputs.train.tables.params,
      data,
      { users, k: params.k, exclude, candidates },
      ctx,
    );
    const animeIds = lists.map((i) => (i < 0 ? -1 : data.ratings.itemIds[i]));
    return {
      tables: {
        users: { user: users, user_id: users.map((u) => data.ratings.userIds[u]) },
        lists: { item: lists, anime_id: animeIds },
      },
      meta: { k: params.k, users: users.length },
    };
  },
};

/** Users having a row among `rows`, in dense order. */
function distinctUsers(user: Int32Array, rows: Int32Array, nUsers: number): Int32Array {
  const has = new Uint8Array(nUsers);
  for (let i = 0; i < rows.length; i++) has[user[rows[i]]] = 1;
  let count = 0;
  for (let u = 0; u < nUsers; u++) count += has[u];
  const out = new Int32Array(count);
  for (let u = 0, j = 0; u < nUsers; u++) if (has[u]) out[j++] = u;
  return out;
}
