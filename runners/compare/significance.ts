import ttest from "@stdlib/stats-ttest";
import { type PerUserValues, readPerUserValues } from "../run_folder/per_user_values.ts";
import { pairOnUsers } from "./per_user_values.ts";
import { adjustPValues, type Correction } from "./p_value_correction.ts";
import { wilcoxonSignedRank } from "./wilcoxon.ts";

/** One metric of one run against the baseline, on the users both scored. */
export interface PairedTest {
  metric: string;
  /** users with a value in both runs */
  pairs: number;
  baselineMean: number;
  otherMean: number;
  /** mean of (run - baseline) */
  meanDifference: number;
  /** paired t statistic: positive when the run is higher */
  t: number;
  tPValue: number;
  /** Wilcoxon signed-rank W+ of (run - baseline) */
  wilcoxonStatistic: number;
  wilcoxonPValue: number;
  /** the p-values corrected for multiple comparisons (`compare --correction`) */
  tPAdjusted: number;
  wilcoxonPAdjusted: number;
}

/** A run folder by id (its name) and path. */
export interface RunRef {
  id: string;
  dir: string;
}

export interface PairedComparison {
  part: string;
  baseline: RunRef;
  other: RunRef;
  tests: PairedTest[];
}

/**
 * Paired two-sided tests, per metric present in both per-user tables: the t-test
 * (stdlib's `ttest(x, y)`) and the Wilcoxon signed-rank test. NaN where undefined (fewer
 * than two pairs, no differences at all).
 */
export function pairedTests(baseline: PerUserValues, other: PerUserValues): PairedTest[] {
  const tests: PairedTest[] = [];
  for (const metric of baseline.metrics.keys()) {
    if (!other.metrics.has(metric)) continue;
    const pair = pairOnUsers(baseline, other, metric);
    tests.push(testPair(metric, pair.baseline, pair.other));
  }
  return tests;
}

/** Tests each run against the baseline on per_user_<part>.arrow (the baseline read once). */
export function compareWithBaseline(
  baseline: RunRef,
  others: RunRef[],
  part: string,
): PairedComparison[] {
  const baseValues = readPerUserValues(baseline.dir, part);
  return others.map((other) => ({
    part,
    baseline,
    other,
    tests: pairedTests(baseValues, readPerUserValues(other.dir, part)),
  }));
}

function testPair(metric: string, baseline: Float64Array, other: Float64Array): PairedTest {
  const n = baseline.length;
  let baseSum = 0, otherSum = 0;
  for (let i = 0; i < n; i++) {
    baseSum += baseline[i];
    otherSum += other[i];
  }
  // stdlib's t-test needs two values; with none differing its statistic is NaN already.
  const t = n >= 2 ? ttest(other, baseline) : { statistic: NaN, pValue: NaN };
  const w = wilcoxonSignedRank(other, baseline);
  return {
    metric,
    pairs: n,
    baselineMean: baseSum / n,
    otherMean: otherSum / n,
    meanDifference: (otherSum - baseSum) / n,
    t: t.statistic,
    tPValue: t.pValue,
    wilcoxonStatistic: w.statistic,
    wilcoxonPValue: w.pValue,
    // uncorrected until the caller knows the whole family (correctPValues)
    tPAdjusted: t.pValue,
    wilcoxonPAdjusted: w.pValue,
  };
}

/**
 * Corrects every test's p-values for the comparisons made: the family is every (run,
 * metric) pair tested, corrected once for the t-test and once for the Wilcoxon test (two
 * readings of the same comparisons, not more comparisons). Returns the family's size.
 */
export function correctPValues(comparisons: PairedComparison[], correction: Correction): number {
  const tests = comparisons.flatMap((c) => c.tests);
  const t = adjustPValues(tests.map((test) => test.tPValue), correction);
  const w = adjustPValues(tests.map((test) => test.wilcoxonPValue), correction);
  tests.forEach((test, i) => {
    test.tPAdjusted = t[i];
    test.wilcoxonPAdjusted = w[i];
  });
  return tests.length;
}
