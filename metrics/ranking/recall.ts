import { hitsAtK, type RankingMetric, type UserRanking } from "./user_ranking.ts";

/** hits / |truth|: can stay below 1 when the user has more than k relevant items. */
export const recall: RankingMetric = {
  kind: "ranking",
  name: "recall",
  description: "relevant items in the top k, divided by the number of relevant items",
  better: "higher",
  byDefault: true,
  perUser: (user: UserRanking) => hitsAtK(user) / user.truthSize,
};
