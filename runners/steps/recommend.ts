import type { TrainData } from "../../models/model.ts";
// fingerprint: dispatch (the planner adds the model's own modules to this step)
import { models } from "../../models/registry.ts";
import type { SeenFrom, TieOrder } from "../../models/recommender_fields.ts";
import type { Artifact } from "../table.ts";
import type { StepKind } from "./step.ts";
import { itemsByUser, seenRowsFrom, trainDataOf } from "./train_data.ts";

export interface RecommendParams {
  type: string;
  config: Record<string, unknown>;
  k: number;
  exclude_seen: boolean;
  seen_from: SeenFrom;
  candidates: "all" | "test_items" | "part_items";
  ties: TieOrder;
  /** whose lists: the users with a row in this part of the split */
  target: "test" | "dev";
}

/** Top-k lists for every user with a target row. */
export const recommendStep: StepKind<RecommendParams> = {
  kind: "recommend",
  modules: [import.meta.url],
  describe: (p) =>
    `top-${p.k} for ${p.target} users, ${p.candidates} candidates${
      p.exclude_seen ? `, seen (${p.seen_from}) excluded` : ""
    }${p.ties === "item" ? "" : `, ties in ${p.ties} order`}`,
  async run(params, inputs, ctx) {
    const model = models[params.type];
    if (!model.recommend) throw new Error(`model ${params.type} does not recommend`);
    const data = trainDataOf(inputs.clean, inputs.split);
    const targetRows = inputs.split.tables[params.target].row as Int32Array;
    const users = distinctUsers(data.ratings.user, targetRows, data.nUsers);
    const candidates = candidatesOf(params, inputs.split, data);
    const exclude = params.exclude_seen
      ? itemsByUser(data, seenRowsFrom(inputs.split, params.seen_from))
      : null;
    const lists = await model.recommend(
      params.config,
      inputs.train.tables.params,
      data,
      { users, k: params.k, exclude, candidates, ties: params.ties },
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

/**
 * The items a list may hold: null for the whole catalogue; else the distinct items of the
 * test rows (the study: the anime of the sampled test users, whatever part is scored) or of
 * the scored part's rows, in order of first appearance: the order the study's script added
 * them to its set of candidates, which the python tie orders replay.
 */
function candidatesOf(params: RecommendParams, split: Artifact, data: TrainData) {
  if (params.candidates === "all") return null;
  const part = params.candidates === "test_items" ? "test" : params.target;
  const rows = split.tables[part].row as Int32Array;
  const listed = new Uint8Array(data.nItems);
  const order: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const item = data.ratings.item[rows[i]];
    if (listed[item]) continue;
    listed[item] = 1;
    order.push(item);
  }
  return Int32Array.from(order);
}

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
