import type { RankingMetric, UserRanking } from "./user_ranking.ts";

// discounts[r] = 1 / log2(r + 2): the weight of 0-based rank r. Grown on demand and
// shared, so a user costs k multiplications and no logarithms.
let discounts = new Float64Array(0);
// idealDcg[n] = sum of the first n discounts: the DCG of n hits at the top.
let idealDcg = new Float64Array(1);

function ensureTables(k: number): void {
  if (discounts.length >= k) return;
  discounts = new Float64Array(k);
  idealDcg = new Float64Array(k + 1);
  for (let r = 0; r < k; r++) {
    discounts[r] = 1 / Math.log2(r + 2);
    idealDcg[r + 1] = idealDcg[r] + discounts[r];
  }
}

/**
 * Binary-gain NDCG: DCG = sum over ranks r (1-based) of rel_r / log2(r + 1), divided by
 * the DCG of min(|truth|, k) hits at the top (the study's IDCG).
 */
export const ndcg: RankingMetric = {
  kind: "ranking",
  name: "ndcg",
  description: "binary-gain DCG of the top k over the ideal DCG of min(|truth|, k) hits",
  better: "higher",
  byDefault: true,
  perUser(user: UserRanking): number {
    const k = user.k;
    ensureTables(k);
    let dcg = 0;
    for (let r = 0; r < k; r++) if (user.hits[r] !== 0) dcg += discounts[r];
    return dcg / idealDcg[Math.min(user.truthSize, k)];
  },
};
