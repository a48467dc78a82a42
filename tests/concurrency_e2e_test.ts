/** Two runs of one spec at once on one cache: both succeed, each step is computed once. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "./helpers/temp_dir.ts";
import { runCli } from "./helpers/cli.ts";

const root = join(import.meta.dirname!, "..");

Deno.test("concurrent runs share the cache: same metrics, every step computed exactly once", async () => {
  const cacheDir = tempDir("concurrent-cache-");
  const resultsDir = tempDir("concurrent-results-");
  const launch = () =>
    runCli([
      "run",
      join(root, "experiments", "toppop.yaml"),
      "--set",
      "data.scale=tiny",
      "--cache-dir",
      cacheDir,
      "--results-dir",
      resultsDir,
      "-q",
    ]);
  const [a, b] = await Promise.all([launch(), launch()]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);

  const dir = join(resultsDir, "toppop");
  // Run folders only: a staging prune that saw the other run's lease may leave its
  // `.observed-*.json` memo beside them (removed by the next prune).
  const runs = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory && !e.name.startsWith("."))
    .map((e) => join(dir, e.name));
  assert.equal(runs.length, 2, "two separate run folders");
  const [first, second] = runs.map((r) => JSON.parse(Deno.readTextFileSync(join(r, "run.json"))));
  const [m1, m2] = runs.map((r) => Deno.readTextFileSync(join(r, "metrics.json")));
  assert.equal(m1, m2);
  for (let i = 0; i < first.steps.length; i++) {
    const computed = [first.steps[i], second.steps[i]].filter((s) => s.status === "computed");
    assert.equal(computed.length, 1, `${first.steps[i].name} computed ${computed.length} times`);
  }
});
