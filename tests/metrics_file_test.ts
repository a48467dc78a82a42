/** metrics.json with intervals and fold spreads: written, read back, old files still read. */
import assert from "node:assert/strict";
import { formatMetricCell, metricsMarkdown, metricsText } from "../runners/results.ts";
import { collectMetrics, meanAndStd } from "../runners/run.ts";
import { metricsJson, parseMetricsJson } from "../runners/run_folder/metrics_file.ts";
import { UserError } from "../runners/errors.ts";

Deno.test("round trip: parts as before, ci and std beside them, NaN as null", () => {
  const metrics = { test: { "ndcg@10": 0.1, rmse: NaN }, dev: { "ndcg@10": 0.2 } };
  const uncertainty = {
    ci: {
      test: { "ndcg@10": [0.09, 0.11] as [number, number], rmse: [NaN, NaN] as [number, number] },
    },
    std: {},
  };
  const text = metricsJson(metrics, uncertainty);
  const raw = JSON.parse(text);
  // An old reader's view: the parts are where they were, numbers or null.
  assert.deepEqual(raw.test, { "ndcg@10": 0.1, rmse: null });
  assert.deepEqual(raw.ci, { test: { "ndcg@10": [0.09, 0.11], rmse: [null, null] } });
  assert.ok(!("std" in raw), "empty sections are not written");
  assert.match(text, /"ndcg@10": \[0\.09, 0\.11\]/, "an interval on one line");
  const back = parseMetricsJson(text, "metrics.json");
  assert.deepEqual(back.metrics, metrics);
  assert.deepEqual(back.uncertainty, uncertainty);
});

Deno.test("a metrics.json from before intervals reads with empty uncertainty", () => {
  const back = parseMetricsJson('{"test": {"ndcg@10": 0.1}}', "m.json");
  assert.deepEqual(back, {
    metrics: { test: { "ndcg@10": 0.1 } },
    uncertainty: { ci: {}, std: {} },
  });
});

Deno.test("malformed intervals name the field", () => {
  for (
    const [text, path] of [
      ['{"ci": {"test": {"ndcg@10": [0.1]}}}', "ci.test.ndcg@10"],
      ['{"ci": {"test": {"ndcg@10": ["a", 1]}}}', "ci.test.ndcg@10"],
      ['{"std": {"test": {"rmse": "x"}}}', "std.test.rmse"],
      ['{"test": {"rmse": "x"}}', "test.rmse"],
    ]
  ) {
    assert.throws(() => parseMetricsJson(text, "m.json"), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.location.path, path);
      return true;
    });
  }
});

Deno.test("k folds: the mean under the part, the std over folds beside it, folds keep their intervals", () => {
  const fold = (n: number, rmse: number) => ({
    name: `evaluate_fold${n}`,
    meta: {
      metrics: { test: { rmse, mae: 1 } },
      ci: { test: { rmse: [rmse - 0.1, null] } },
    },
  });
  const { metrics, uncertainty } = collectMetrics([fold(1, 1), fold(2, 2), fold(3, 3)]);
  assert.deepEqual(Object.keys(metrics), ["test", "test_fold1", "test_fold2", "test_fold3"]);
  assert.deepEqual(metrics.test, { rmse: 2, mae: 1 });
  // population std (numpy's, Surprise's): sqrt(((1-2)² + 0 + (3-2)²) / 3)
  assert.deepEqual(uncertainty.std, { test: { rmse: Math.sqrt(2 / 3), mae: 0 } });
  assert.deepEqual(uncertainty.ci.test_fold2, { rmse: [1.9, NaN] });
  assert.equal(uncertainty.ci.test, undefined, "no interval for the mean over folds");
  assert.deepEqual(meanAndStd([4, NaN]).std, NaN);
});

Deno.test("tables: value [low, high], mean ± std, and a line saying what they are", () => {
  assert.equal(formatMetricCell(0.12344, [0.11801, 0.12899]), "0.1234 [0.1180, 0.1290]");
  assert.equal(formatMetricCell(0.5, undefined, 0.01234), "0.5000 ± 0.0123");
  assert.equal(formatMetricCell(0.5, [NaN, NaN]), "0.5000");
  assert.equal(formatMetricCell(NaN, [0.1, 0.2]), "");
  const metrics = { test: { "ndcg@10": 0.1 }, test_fold1: { "ndcg@10": 0.12 } };
  const uncertainty = {
    ci: { test_fold1: { "ndcg@10": [0.1, 0.14] as [number, number] } },
    std: { test: { "ndcg@10": 0.02 } },
  };
  const md = metricsMarkdown(metrics, "t", uncertainty);
  assert.match(md, /\| ndcg@10 \| 0\.1000 ± 0\.0200 \| 0\.1200 \[0\.1000, 0\.1400\] \|/);
  assert.match(
    md,
    /95% bootstrap confidence interval .*rows\); mean ± standard deviation over folds/,
  );
  const text = metricsText(metrics, uncertainty);
  assert.match(text, /ndcg@10\s+0\.1000 ± 0\.0200\s+0\.1200 \[0\.1000, 0\.1400\]/);
  assert.ok(!metricsText(metrics).includes("bootstrap"), "no note without intervals");
});
