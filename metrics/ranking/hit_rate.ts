import type { RankingMetric, UserRanking } from "./user_ranking.ts";

/** 1 when any of the top k is relevant, else 0. */
export const hitRate: RankingMetric = {
  kind: "ranking",
  name: "hit_rate",
  description: "1 if any of the top k items is relevant, else 0",
  better: "higher",
  byDefault: true,
  perUser(user: UserRanking): number {
    for (let r = 0; r < user.k; r++) if (user.hits[r] !== 0) return 1;
    return 0;
  },
};
