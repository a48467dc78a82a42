/** The study replay suite: the study's table and the sound one, from one command. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseOverride } from "../runners/spec/overrides.ts";
import { runSuite } from "../runners/suite/run_suite.ts";

const root = join(import.meta.dirname!, "..");

Deno.test("seed.yaml writes metrics_summary.csv with the study's columns and rows, and the sound table", async () => {
  const resultsDir = Deno.makeTempDirSync({ prefix: "suite-results-" });
  const outcome = await runSuite(join(root, "experiments", "seed.yaml"), [
    parseOverride("data.scale=tiny"),
  ], {
    cacheDir: Deno.makeTempDirSync({ prefix: "suite-cache-" }),
    resultsDir,
    quiet: true,
  });
  const faithful = Deno.readTextFileSync(join(outcome.runDir, "metrics_summary.csv")).trim().split(
    "\n",
  );
  assert.equal(faithful[0], "model,prec,recall,ndcg,rmse");
  assert.deepEqual(faithful.slice(1).map((line) => line.split(",")[0]), [
    "Top-Pop",
    "SVD++-mid",
    "BERT-mid",
  ]);
  // Recommenders fill prec/recall/ndcg and leave rmse empty; BERT the other way round.
  const [toppop, svdpp, bert] = faithful.slice(1).map((line) => line.split(","));
  assert.ok(Number(toppop[1]) > 0 && toppop[4] === "");
  assert.ok(svdpp[3] !== "" && svdpp[4] === "");
  assert.ok(bert[1] === "" && Number(bert[4]) > 0);
  // The faithful Top-Pop row is the seed-toppop run's test metrics.
  const member = outcome.members["faithful/Top-Pop"];
  assert.equal(Number(toppop[1]), Number(member.metrics.test["precision@10"].toFixed(4)));

  const sound = Deno.readTextFileSync(join(outcome.runDir, "metrics_summary_sound.csv")).trim()
    .split("\n");
  const header = sound[0].split(",");
  for (
    const column of ["test_coverage", "test_popularity_percentile", "dev_ndcg", "ndcg_p_t_wilcoxon"]
  ) {
    assert.ok(header.includes(column), column);
  }
  const svdppSound = sound.find((line) => line.startsWith("SVD++,"))!.split(",");
  assert.match(svdppSound[header.indexOf("ndcg_p_t_wilcoxon")], /^\S+ \/ \S+$/);
  const runs = JSON.parse(Deno.readTextFileSync(join(outcome.runDir, "runs.json")));
  assert.equal(Object.keys(runs).length, 6);
});
