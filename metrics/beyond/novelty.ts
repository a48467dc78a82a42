import { type Catalogue, type ItemScoreMetric, requirePopularity } from "./beyond_metric.ts";

/**
 * Self-information of every item, -log2(count / trainUsers) bits. The count is clamped
 * to 1..trainUsers so an item unseen in training scores like one rated once, and a
 * count inflated by duplicate ratings never gives negative information.
 */
export function selfInformation(counts: Int32Array, trainUsers: number): Float64Array {
  const bits = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const count = Math.min(Math.max(counts[i], 1), trainUsers);
    bits[i] = Math.log2(trainUsers / count); // = -log2(count / trainUsers), never -0
  }
  return bits;
}

/** Mean self-information of a user's top k: higher means less familiar items. */
export const novelty: ItemScoreMetric = {
  kind: "item_score",
  name: "novelty",
  description: "mean self-information -log2(training count / training users) of the top k",
  better: "higher",
  itemScores(catalogue: Catalogue): Float64Array {
    const counts = requirePopularity(catalogue, "novelty");
    const trainUsers = catalogue.trainUsers;
    if (trainUsers === undefined || !Number.isInteger(trainUsers) || trainUsers < 1) {
      throw new Error(
        `metric "novelty" needs options.trainUsers, a positive integer (got ${trainUsers})`,
      );
    }
    return selfInformation(counts, trainUsers);
  },
};
