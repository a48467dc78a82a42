/**
 * The neighbourhood models and the random floor as a user runs them: specs with the issue's
 * keys, through the runner on the tiny embedded dataset, parameters cached as Arrow and read
 * back (a re-run is all cache hits with the same lists), `threads` changing no metric.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";

const root = join(import.meta.dirname!, "..");

async function tinySpec(model: string) {
  const { spec } = await loadSpec(join(root, "experiments", "toppop.yaml"), [
    parseOverride("data.scale=tiny"),
    parseOverride(`model=${model}`),
  ]);
  return spec;
}

const specs: Record<string, string> = {
  random: "{type: random}",
  itemknn: "{type: itemknn, k_neighbors: 100, shrink: 10}",
  userknn: "{type: userknn, k_neighbors: 100, shrink: 10}",
  rp3beta: "{type: rp3beta, alpha: 1, beta: 0.5, k_neighbors: 100}",
};

Deno.test("each model runs from its spec; a re-run is all cache hits with the same lists", async () => {
  const cacheDir = Deno.makeTempDirSync({ prefix: "knn-e2e-cache-" });
  const resultsDir = Deno.makeTempDirSync({ prefix: "knn-e2e-results-" });
  try {
    const ndcg: Record<string, number> = {};
    for (const [type, model] of Object.entries(specs)) {
      const spec = await tinySpec(model);
      const first = await runExperiment(spec, { cacheDir, resultsDir, quiet: true });
      const second = await runExperiment(spec, { cacheDir, resultsDir, quiet: true });
      assert.ok(second.record.steps.every((s) => s.cached), `${type}: cached re-run`);
      assert.equal(
        Deno.readTextFileSync(join(second.runDir, "recommendations.csv")),
        Deno.readTextFileSync(join(first.runDir, "recommendations.csv")),
      );
      ndcg[type] = first.metrics.test["ndcg@10"] as number;
      if (type !== "random") {
        const threaded = await runExperiment(
          await tinySpec(model.replace("}", ", threads: 2}")),
          { cacheDir, resultsDir, quiet: true },
        );
        assert.deepEqual(threaded.metrics, first.metrics, `${type}: threads 2`);
      }
    }
    // the floor is the floor
    for (const type of ["itemknn", "userknn", "rp3beta"]) {
      assert.ok(ndcg[type] > ndcg.random, `${type} ${ndcg[type]} > random ${ndcg.random}`);
    }
  } finally {
    Deno.removeSync(cacheDir, { recursive: true });
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a spec key the model does not have is refused, naming it", async () => {
  await assert.rejects(
    () => tinySpec("{type: rp3beta, shrink: 10}"),
    /shrink/,
  );
  await assert.rejects(() => tinySpec("{type: itemknn, k_neighbors: 0}"), /k_neighbors/);
});
