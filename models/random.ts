import { z } from "zod";
import type { ModelDefinition, RecommendRequest } from "./model.ts";
import { seededRandom } from "../data/rng/seeded.ts";

export const RandomConfig = z.strictObject({});
export type RandomConfig = z.output<typeof RandomConfig>;

/**
 * The floor every model must clear: for each user, a uniformly random ordering of the
 * candidates (the whole catalogue by default), excluded items skipped. Seeded: the train
 * step's seed is the model, and a user's list depends only on it, the user and the
 * candidates, so test and dev lists, threads or the other users requested change nothing.
 */
export const random: ModelDefinition<RandomConfig> = {
  type: "random",
  modules: [import.meta.url],
  description: "uniformly random items per user (seeded): the floor",
  config: RandomConfig,
  fit(_config, _data, ctx) {
    return { seed: Uint32Array.of(ctx.seed) };
  },
  recommend(_config, params, data, request) {
    const seed = params.seed;
    if (!(seed instanceof Uint32Array) || seed.length !== 1) {
      throw new Error("random params: expected one Uint32 seed");
    }
    return randomLists(seed[0], data.nItems, request);
  },
};

/**
 * Each user walks a random permutation of the candidates, drawn lazily (Fisher-Yates with the
 * swapped places kept in a map), until k items not excluded were found: O(k + excluded
 * candidates) per user, not O(catalogue).
 */
export function randomLists(seed: number, nItems: number, request: RecommendRequest): Int32Array {
  const { users, k, exclude } = request;
  const candidates = request.candidates === null ? null : distinct(request.candidates, nItems);
  const n = candidates === null ? nItems : candidates.length;
  const out = new Int32Array(users.length * k).fill(-1);
  const excludedBy = new Int32Array(nItems).fill(-1);
  const swapped = new Map<number, number>();
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (exclude) {
      for (let p = exclude.offsets[u]; p < exclude.offsets[u + 1]; p++) {
        excludedBy[exclude.values[p]] = r;
      }
    }
    const random = seededRandom(`${seed}:${u}`);
    swapped.clear();
    let filled = 0;
    for (let drawn = 0; drawn < n && filled < k; drawn++) {
      // position `drawn` of the permutation: swap it with a random later position
      const pick = drawn + Math.floor(random() * (n - drawn));
      const at = swapped.get(pick) ?? pick;
      swapped.set(pick, swapped.get(drawn) ?? drawn);
      const item = candidates === null ? at : candidates[at];
      if (excludedBy[item] !== r) out[r * k + filled++] = item;
    }
  }
  return out;
}

/** The candidates without repeats, in their order; throws on an index outside the catalogue. */
function distinct(candidates: Int32Array, nItems: number): Int32Array {
  const seen = new Uint8Array(nItems);
  const out = new Int32Array(candidates.length);
  let n = 0;
  for (let c = 0; c < candidates.length; c++) {
    const item = candidates[c];
    if (!(item >= 0 && item < nItems)) {
      throw new Error(`random: candidates[${c}] = ${item} is outside 0..${nItems - 1}`);
    }
    if (!seen[item]) {
      seen[item] = 1;
      out[n++] = item;
    }
  }
  return out.subarray(0, n);
}
