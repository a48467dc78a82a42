import { hitsAtK, type RankingMetric, type UserRanking } from "./user_ranking.ts";

/** hits / k, k the cutoff (not the list length), as the study computed it. */
export const precision: RankingMetric = {
  kind: "ranking",
  name: "precision",
  description: "relevant items in the top k, divided by k",
  better: "higher",
  byDefault: true,
  perUser: (user: UserRanking) => hitsAtK(user) / user.k,
};
