/** `sweep` through the CLI choosing its best trial by a dev metric (tiny embedded data). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";

function sweep(spec: string, work: string, ...args: string[]) {
  return runCli(
    ["sweep", spec, "-q", ...args, "--cache-dir", join(work, "cache")]
      .concat(["--results-dir", join(work, "results")]),
    { config: true },
  );
}

Deno.test("sweep.select: the best dev trial marked with its test metrics; bad metrics exit 2", async () => {
  const work = Deno.makeTempDirSync({ prefix: "sweep-select-e2e-" });
  try {
    const spec = join(work, "sweep.yaml");
    Deno.writeTextFileSync(
      spec,
      `name: select
data: { scale: tiny }
model: { type: toppop }
evaluate: { bootstrap: 200 }
sweep:
  grid: { model.exclude_seen: [false, true] }
  select: dev.popularity_percentile@10
`,
    );
    const runs = () => {
      try {
        return [...Deno.readDirSync(join(work, "results", "select"))].filter((e) =>
          !e.name.startsWith(".")
        ).length;
      } catch {
        return 0;
      }
    };

    const typo = await sweep(spec, work, "--select", "dev.ndgc@10");
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(typo.stderr, /--select: 'ndgc@10' is not a registered metric/);
    assert.equal(runs(), 0, "refused before any trial ran");

    const { code, stdout, stderr } = await sweep(spec, work);
    assert.equal(code, 0, stderr);
    // popularity_percentile is better low: the lists that skip seen anime hold less popular ones.
    const marked = stdout.split("\n").filter((line) => /^\d \*/.test(line));
    assert.equal(marked.length, 1, stdout);
    assert.match(marked[0], /^2 \* +model\.exclude_seen=true/);
    assert.match(stdout, /dev popularity_percentile@10 +test popularity_percentile@10/);
    assert.match(
      stdout,
      /\* selected: trial 2 \(model\.exclude_seen=true\), the lowest dev\.popularity_percentile@10 \(lower is better\)/,
    );
    assert.match(stdout, /ndcg@10 +\d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\] +\d\.\d{4} \[/);
    const sweeps = join(work, "results", "select", ".sweeps");
    const [id] = [...Deno.readDirSync(sweeps)].map((e) => e.name);
    const record = JSON.parse(Deno.readTextFileSync(join(sweeps, id, "sweep.json")));
    assert.equal(record.selected.trial, 2);
    assert.equal(record.selected.metric, "dev.popularity_percentile@10");
    assert.equal(record.selected.better, "lower");

    const missing = await sweep(spec, work, "--select", "dev.rmse");
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /--select: no trial has the metric 'dev\.rmse' to select by/);
    assert.match(missing.stdout, /model\.exclude_seen=true +done/, "the trials are still listed");
  } finally {
    Deno.removeSync(work, { recursive: true });
  }
});
