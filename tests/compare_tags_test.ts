/** compare shows a tags column when some run has tags, and filters with tag=… / tag!=…. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildComparison } from "../runners/compare/compare_table.ts";
import { compareRuns, renderReport } from "../runners/compare/compare_command.ts";
import { parseCondition } from "../runners/compare/conditions.ts";
import { UserError } from "../runners/errors.ts";
import { addTags } from "../runners/run_folder/annotations.ts";
import type { RunFolder } from "../runners/run_folder/read_run.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";
import { tempDir } from "./helpers/temp_dir.ts";

function run(i: number, tags: string[]): RunFolder {
  return {
    id: runId(i),
    dir: `/r/${runId(i)}`,
    spec: toppopSpec({ k: 10 + i }),
    metrics: { test: { ndcg: i / 10 } },
    annotations: { tags, note: "" },
  };
}

const runs = [run(1, ["baseline", "mal"]), run(2, []), run(3, ["mal"])];
const where = (...texts: string[]) => texts.map((t) => parseCondition(t, "--filter"));
const ids = (rs: RunFolder[]) => rs.map((r) => r.id);

Deno.test("a tags column after run when any run has tags; none when no run has any", () => {
  const table = buildComparison(runs);
  assert.deepEqual(table.columns.slice(0, 2).map((c) => [c.name, c.kind]), [["run", "run"], [
    "tags",
    "tags",
  ]]);
  const untagged = buildComparison([run(1, []), run(2, [])]);
  assert.ok(!untagged.columns.some((c) => c.kind === "tags"));
});

Deno.test("tag=x keeps the runs that have x; tag!=x those that lack it; conditions combine", () => {
  const rows = (conditions: string[]) =>
    ids(buildComparison(runs, { conditions: where(...conditions) }).rows.map((r) => r.run));
  assert.deepEqual(rows(["tag=mal"]), [runId(1), runId(3)]);
  assert.deepEqual(rows(["tag!=baseline"]), [runId(2), runId(3)]);
  assert.deepEqual(rows(["tag=mal", "model.k=13"]), [runId(3)]);
  assert.throws(() => buildComparison(runs, { conditions: where("tag=nope") }), /no run matches/);
  assert.throws(() => parseCondition("tag>1", "--filter"), /a tag is matched with = .* or !=/);
});

Deno.test("compare reads tags from the run folders and prints them in md, csv and json", async () => {
  const experiment = join(tempDir("compare-tags-"), "toppop");
  const dirs = [1, 2].map((i) =>
    writeRun(experiment, {
      id: runId(i),
      spec: toppopSpec({ k: i }),
      metrics: { test: { ndcg: i } },
    })
  );
  addTags(dirs[0], ["baseline", "v1"]);
  const report = await compareRuns([experiment], { where: ["tag=baseline"] });
  assert.deepEqual(report.table.rows.map((r) => r.run.id), [runId(1)]);
  const all = await compareRuns([experiment]);
  assert.match(renderReport(all, "md"), /\| run \| tags \| model\.k \|/);
  assert.match(renderReport(all, "md"), new RegExp(`\\| ${runId(1)} \\| baseline, v1 \\| 1 \\|`));
  assert.match(renderReport(all, "csv"), new RegExp(`${runId(1)},"baseline, v1",1`));
  const json = JSON.parse(renderReport(all, "json"));
  assert.deepEqual(json.rows.map((r: { tags: string[] }) => r.tags), [["baseline", "v1"], []]);
  const error = await caught(() => compareRuns([experiment], { filter: ["tag<=2"] }));
  assert.ok(error instanceof UserError && /--filter/.test(error.describe()));
});
