/**
 * Confidence intervals through real runs on the tiny embedded dataset: written beside the
 * metrics, around them, seeded (the same with no cache), off with `evaluate.bootstrap: 0`,
 * k-fold spreads, and checked by `check`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkRun } from "../runners/check/check_run.ts";
import { runExperiment } from "../runners/run.ts";
import { readRun } from "../runners/run_folder/read_run.ts";
import { validateSpec } from "../runners/spec/load.ts";

const work = Deno.makeTempDirSync({ prefix: "uncertainty-e2e-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

function run(spec: Record<string, unknown>, noCache = false) {
  return runExperiment(validateSpec({ data: { scale: "tiny" }, ...spec }, "test spec"), {
    cacheDir: join(work, "cache"),
    resultsDir: join(work, "results"),
    quiet: true,
    noCache,
  });
}

Deno.test("ranking metrics: an interval around each per-user mean, seeded, coverage without", async () => {
  const spec = { name: "ci", model: { type: "toppop" }, evaluate: { bootstrap: 300 } };
  const first = await run(spec);
  const { metrics, uncertainty } = readRun(first.runDir);
  for (const part of ["test", "dev"]) {
    for (const [name, value] of Object.entries(metrics[part])) {
      if (name.startsWith("coverage")) {
        assert.equal(uncertainty!.ci[part][name], undefined, "one number over all lists");
        continue;
      }
      const [low, high] = uncertainty!.ci[part][name];
      assert.ok(low <= value && value <= high && low < high, `${part}.${name}`);
    }
  }
  // test and dev draw from seeds of their own (derived from the seed and the step name)
  assert.notDeepEqual(
    uncertainty!.ci.test["ndcg@10"].map((b) => b - metrics.test["ndcg@10"]),
    uncertainty!.ci.dev["ndcg@10"].map((b) => b - metrics.dev["ndcg@10"]),
  );
  const again = await run(spec, true);
  assert.deepEqual(again.uncertainty, first.uncertainty, "recomputed without the cache");
  const otherSeed = await run({ ...spec, seed: 7 });
  assert.notDeepEqual(otherSeed.uncertainty.ci.test, first.uncertainty.ci.test);
  assert.match(
    Deno.readTextFileSync(join(first.runDir, "metrics.md")),
    /\| ndcg@10 \| 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] \|/,
  );

  const checked = await checkRun(first.runDir, { quiet: true });
  assert.deepEqual(checked.drifts, []);
  const values = Object.values(metrics).reduce((n, p) => n + Object.keys(p).length, 0);
  assert.equal(checked.compared, values + 2 * 12, "both bounds of 12 intervals compared too");
});

Deno.test("evaluate.bootstrap: 0 writes no intervals", async () => {
  const outcome = await run({
    name: "noci",
    model: { type: "toppop" },
    evaluate: { bootstrap: 0 },
  });
  const written = JSON.parse(Deno.readTextFileSync(join(outcome.runDir, "metrics.json")));
  assert.deepEqual(Object.keys(written), ["test", "dev"]);
});

Deno.test("k folds: rating metrics' intervals per fold over rows, mean ± std for the part", async () => {
  const outcome = await run({
    name: "kfold",
    split: { method: "kfold", folds: 3 },
    model: { type: "svd", epochs: 2 },
    evaluate: { metrics: ["rmse", "mae"], bootstrap: 200 },
  });
  const { metrics, uncertainty } = readRun(outcome.runDir);
  const folds = [1, 2, 3].map((f) => metrics[`test_fold${f}`].rmse);
  const mean = folds.reduce((a, v) => a + v, 0) / 3;
  const std = Math.sqrt(folds.reduce((a, v) => a + (v - mean) ** 2, 0) / 3);
  assert.ok(Math.abs(metrics.test.rmse - mean) < 1e-12);
  assert.ok(Math.abs(uncertainty!.std.test.rmse - std) < 1e-12);
  for (const f of [1, 2, 3]) {
    const [low, high] = uncertainty!.ci[`test_fold${f}`].rmse;
    assert.ok(low < folds[f - 1] && folds[f - 1] < high);
  }
  assert.match(
    Deno.readTextFileSync(join(outcome.runDir, "metrics.md")),
    /\| rmse \| \d\.\d{4} ± \d\.\d{4} \| /,
  );
});
