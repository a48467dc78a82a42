/**
 * Corrections of p-values for multiple comparisons: a comparison of many runs on many
 * metrics finds "significant" differences by chance unless the p-values are adjusted for
 * how many tests were made.
 *
 * - `holm` (Holm 1979): controls the family-wise error rate (the chance of any false
 *   positive), uniformly more powerful than Bonferroni. Sorted ascending, the i-th of m
 *   p-values becomes max over j ≤ i of min(1, (m − j + 1)·p(j)).
 * - `bh` (Benjamini & Hochberg 1995): controls the false discovery rate (the expected share
 *   of false positives among the rejections), for many tests. The i-th of m becomes
 *   min over j ≥ i of min(1, m/j · p(j)).
 * - `none`: the raw p-values.
 *
 * NaN p-values (no test possible) are not tests: they stay NaN and do not count in m.
 */

export const CORRECTIONS = ["holm", "bh", "none"] as const;
export type Correction = typeof CORRECTIONS[number];

/** What the correction controls, for the line under the table. */
export const CORRECTION_NAMES: Record<Correction, string> = {
  holm: "Holm's step-down correction (family-wise error rate)",
  bh: "Benjamini–Hochberg correction (false discovery rate)",
  none: "no correction",
};

/** The adjusted p-values, in the order given. */
export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  const adjusted = pValues.map((p) => (Number.isNaN(p) ? NaN : p));
  if (correction === "none") return adjusted;
  const order = pValues.map((p, i) => ({ p, i })).filter(({ p }) => !Number.isNaN(p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = order.length;
  if (correction === "holm") {
    let running = 0;
    order.forEach(({ p, i }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      adjusted[i] = running;
    });
  } else {
    let running = 1;
    for (let rank = m - 1; rank >= 0; rank--) {
      const { p, i } = order[rank];
      running = Math.min(running, Math.min(1, (m / (rank + 1)) * p));
      adjusted[i] = running;
    }
  }
  return adjusted;
}
