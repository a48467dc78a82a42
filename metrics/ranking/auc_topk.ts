import type { RankingMetric, UserRanking } from "./user_ranking.ts";

/**
 * AUC over the whole catalogue from a top-k list (recommend steps keep lists, not scores):
 * the share of (relevant, non-relevant) pairs the ranking orders correctly, where the ranking
 * is the list's first k items in order, then every other item tied below them. A tie counts
 * 1/2. Non-relevant items are the catalogue minus the relevant items and minus the items the
 * list could not hold (the user's seen items, when excluded). Relevant items the list could
 * not hold (seen and excluded) stay in the pairs, at the bottom; items outside a restricted
 * candidate set (`candidates: test_items`) count as unlisted. When the list holds every
 * item it could, this is the exact AUC; the shorter the list, the closer unlisted items sit
 * to 1/2. NaN when the user has no non-relevant item.
 */
export const aucTopK: RankingMetric = {
  kind: "ranking",
  name: "auc_topk",
  description: "AUC over the catalogue from the top-k list: unlisted items tie at the bottom " +
    "(1/2 a pair), seen items excluded from the non-relevant ones",
  better: "higher",
  byDefault: false,
  needs: ["excluded_items"],
  perUser(user: UserRanking): number {
    const negatives = user.negatives;
    if (!(negatives > 0)) return NaN;
    const listed = Math.min(user.length, user.k);
    let above = 0; // non-relevant items listed so far
    let hits = 0;
    let correct = 0;
    for (let r = 0; r < listed; r++) {
      if (user.hits[r] === 0) above++;
      else {
        hits++;
        correct += negatives - above; // above every non-relevant item but those listed higher
      }
    }
    // An unlisted relevant item loses to the listed non-relevant ones and ties with the rest.
    correct += (user.truthSize - hits) * 0.5 * (negatives - above);
    return correct / (user.truthSize * negatives);
  },
};
