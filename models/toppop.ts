import { z } from "zod";
import type { ModelDefinition } from "./model.ts";
import { selectTopK } from "./top_k.ts";

export const TopPopConfig = z.strictObject({});
export type TopPopConfig = z.output<typeof TopPopConfig>;

/**
 * Top-Pop: items ranked by their number of training ratings, ties broken by the lower
 * dense index (first appearance), the same list for everyone except for seen items.
 */
export const toppop: ModelDefinition<TopPopConfig> = {
  type: "toppop",
  modules: [import.meta.url],
  description: "the most-rated training items, the same list for every user",
  config: TopPopConfig,
  fit(_config, data) {
    const counts = new Int32Array(data.nItems);
    const { item } = data.ratings;
    for (let i = 0; i < data.train.length; i++) counts[item[data.train[i]]]++;
    return { popularity: counts };
  },
  recommend(_config, params, data, request) {
    const counts = params.popularity as Int32Array;
    const scores = new Float64Array(data.nItems);
    for (let i = 0; i < data.nItems; i++) scores[i] = counts[i];
    // One global ranking: walk it for each user, skipping excluded and non-candidate items.
    const order = selectTopK(scores, data.nItems, request.candidates);
    const { k, users, exclude } = request;
    const out = new Int32Array(users.length * k).fill(-1);
    const stamp = new Int32Array(data.nItems);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      if (exclude) {
        for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) {
          stamp[exclude.values[p]] = r + 1;
        }
      }
      let filled = 0;
      for (let p = 0; p < order.length && filled < k; p++) {
        if (stamp[order[p]] !== r + 1) out[r * k + filled++] = order[p];
      }
    }
    return out;
  },
};
