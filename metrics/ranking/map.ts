import type { RankingMetric, UserRanking } from "./user_ranking.ts";

/**
 * Average precision at k: the sum of precision@r over the ranks r <= k that hit, divided by
 * min(|truth|, k), the most hits the top k can hold. MAP@k is its mean over users.
 */
export const map: RankingMetric = {
  kind: "ranking",
  name: "map",
  description: "average precision: sum of precision@r at the hit ranks r <= k, / min(|truth|, k)",
  better: "higher",
  byDefault: false,
  perUser(user: UserRanking): number {
    let hits = 0;
    let sum = 0;
    for (let r = 0; r < user.k; r++) {
      if (user.hits[r] === 0) continue;
      hits++;
      sum += hits / (r + 1);
    }
    return sum / Math.min(user.truthSize, user.k);
  },
};
