/**
 * ItemKNN, RP3beta and EASE (300 most popular items) on real MovieLens data (ml-latest-small, leave-last-out) agree with an
 * independent reference: tests/fixtures/reference/make_movielens_topn.py, plain Python written
 * from the definitions, whose metrics are committed in movielens_topn.json. The data live in
 * ../shared (never committed here); without them the test is skipped, saying so.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runExperiment } from "../runners/run.ts";
import { validateSpec } from "../runners/spec/load.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const ratings = join(root, "..", "shared", "data", "ml-latest-small", "ratings.csv");
const present = (() => {
  try {
    return Deno.statSync(ratings).isFile;
  } catch {
    return false;
  }
})();
if (!present) console.warn(`skipping the MovieLens reference check: ${ratings} is absent`);

const reference = JSON.parse(
  Deno.readTextFileSync(join(root, "tests", "fixtures", "reference", "movielens_topn.json")),
);

for (
  const [type, fields] of [
    ["itemknn", { k_neighbors: 100, shrink: 10 }],
    ["rp3beta", { k_neighbors: 100, alpha: 1, beta: 0.5 }],
    ["ease", { lambda: 500, items: 300, precision: "float64" }],
  ] as const
) {
  Deno.test({
    name: `${type} on ml-latest-small, leave-last-out, equals the Python reference`,
    ignore: !present,
    async fn() {
      const work = tempDir("movielens-reference-");
      const spec = validateSpec({
        name: `reference-${type}`,
        data: { source: "movielens", path: ratings },
        split: { method: "leave_last", test: 1, dev: 0 },
        model: { type, k: 10, ...fields },
        evaluate: { on: ["test"], metrics: ["precision", "recall", "ndcg"], bootstrap: 0 },
      });
      const outcome = await runExperiment(spec, {
        cacheDir: join(work, "cache"),
        resultsDir: join(work, "results"),
        quiet: true,
      });
      const expected = reference[type];
      for (const name of ["precision@10", "recall@10", "ndcg@10"]) {
        const got = outcome.metrics.test[name];
        assert.ok(
          Math.abs(got - expected[name]) < 1e-12,
          `${type} ${name}: ${got} vs ${expected[name]}`,
        );
      }
      assert.equal(reference.users, 610);
    },
  });
}
