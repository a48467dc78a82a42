/**
 * The protocol additions from the command line: a leave-last MovieLens run scores the new
 * metrics into metrics.json; a split by time on MAL exits 2 before any work.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";

function cli(work: string, ...args: string[]) {
  return runCli(args, {
    env: { RECSYS_CACHE: join(work, "cache"), RECSYS_RESULTS: join(work, "results") },
  });
}

Deno.test("leave_last on MovieLens: map, auc_topk, gini in metrics.json; MAL refused with exit 2", async () => {
  const work = await Deno.makeTempDir({ prefix: "protocol-e2e-" });
  try {
    // three users, four movies; user 3's latest row is the only one of movie 40
    const ratings = join(work, "ratings.csv");
    await Deno.writeTextFile(
      ratings,
      "userId,movieId,rating,timestamp\n1,10,4,1\n1,20,5,2\n1,30,3,3\n2,10,4,1\n2,20,2,5\n" +
        "2,30,5,5\n3,10,3,1\n3,20,4,2\n3,40,5,9\n",
    );
    const spec = join(work, "ll.yaml");
    await Deno.writeTextFile(
      spec,
      `name: ll\ndata: {source: movielens, path: ${ratings}}\nsplit: {method: leave_last, dev: 0}\n` +
        "model: {type: toppop, k: 2}\nevaluate: {on: [test], metrics: [map, auc_topk, gini, coverage]}\n",
    );
    const run = await cli(work, "run", spec);
    assert.equal(run.code, 0, run.stderr);
    const folder = run.stdout.match(/run folder: (.+)/)![1].trim();
    const metrics = JSON.parse(await Deno.readTextFile(join(folder, "metrics.json"))).test;
    // train: user 1 {10, 20}, user 2 {10, 20}, user 3 {10, 20}: Top-Pop ranks 10, 20, then
    // 30 and 40 by index; with seen items excluded every user gets [30, 40].
    // test: user 1 -> 30, user 2 -> 30 (the later of two rows at time 5), user 3 -> 40
    // map@2: users 1, 2 hit at rank 1 (1), user 3 at rank 2 (1/2)
    assert.equal(metrics["map@2"], (1 + 1 + 0.5) / 3);
    // auc: one negative each (the catalogue of 4 minus the truth minus 2 seen items)
    assert.equal(metrics["auc_topk@2"], (1 + 1 + 0) / 3);
    // movie 40 is in the catalogue although no training row has it: 2 of 4 items covered
    assert.equal(metrics["coverage@2"], 0.5);
    // counts 0, 0, 3, 3 over 4 items: (−3·0 − 1·0 + 1·3 + 3·3) / (4 · 6)
    assert.equal(metrics["gini@2"], 0.5);

    const mal = await cli(work, "run", spec, "--set", "data.source=mal");
    assert.equal(mal.code, 2);
    assert.match(mal.stderr, /split\.method: leave_last orders each interaction by its time/);
    assert.match(mal.stderr, /have no timestamps/);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
