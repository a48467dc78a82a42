import type { RankingMetric, UserRanking } from "./user_ranking.ts";

/** Reciprocal rank of the first relevant item within the top k; 0 without a hit. */
export const mrr: RankingMetric = {
  kind: "ranking",
  name: "mrr",
  description: "1 / rank of the first relevant item in the top k (0 if none)",
  better: "higher",
  byDefault: true,
  perUser(user: UserRanking): number {
    for (let r = 0; r < user.k; r++) if (user.hits[r] !== 0) return 1 / (r + 1);
    return 0;
  },
};
