/** compare's inputs: experiment folders, run folders, and every kind of bad path. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../runners/errors.ts";
import { loadRuns } from "../runners/compare/load_runs.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";

const work = Deno.makeTempDirSync({ prefix: "compare-load-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const experiment = join(work, "toppop");
const metrics = { test: { "ndcg@10": 0.1 }, dev: { "ndcg@10": null as unknown as number } };
// Written out of order: an experiment folder lists its runs by id, i.e. by time.
for (const i of [3, 1, 2]) writeRun(experiment, { id: runId(i), spec: toppopSpec(), metrics });
// An unfinished run's hidden staging folder and a stray file are not runs.
Deno.mkdirSync(join(experiment, `.${runId(4)}.partial`));
Deno.writeTextFileSync(join(experiment, "notes.txt"), "not a run");

async function userError(paths: string[]): Promise<string> {
  const error = await caught(() => loadRuns(paths));
  assert.ok(error instanceof UserError, String(error));
  return error.describe();
}

Deno.test("an experiment folder stands for its runs, in id order; partial runs skipped", () => {
  const runs = loadRuns([experiment]);
  assert.deepEqual(runs.map((r) => r.id), [runId(1), runId(2), runId(3)]);
  assert.equal(runs[0].spec.name, "toppop");
  assert.equal(runs[0].metrics.test["ndcg@10"], 0.1);
  assert.ok(Number.isNaN(runs[0].metrics.dev["ndcg@10"]), "null in metrics.json reads as NaN");
});

Deno.test("run folders keep the arguments' order and are read once", () => {
  const runs = loadRuns([join(experiment, runId(3)), experiment, join(experiment, runId(1))]);
  assert.deepEqual(runs.map((r) => r.id), [runId(3), runId(1), runId(2)]);
});

Deno.test("a nonexistent path is an error naming it", async () => {
  const message = await userError([join(work, "nope")]);
  assert.match(message, /nope: no such run or experiment folder/);
});

Deno.test("a file is not a folder", async () => {
  assert.match(await userError([join(experiment, "notes.txt")]), /notes\.txt: not a folder/);
});

Deno.test("an empty experiment folder is an error (hidden partial runs do not count)", async () => {
  const empty = join(work, "empty");
  Deno.mkdirSync(join(empty, `.${runId(1)}.partial`), { recursive: true });
  assert.match(await userError([empty]), /empty: empty experiment folder/);
});

Deno.test("a folder that is neither a run nor an experiment is an error naming it", async () => {
  const other = join(work, "other");
  Deno.mkdirSync(join(other, "sub"), { recursive: true });
  const message = await userError([other]);
  assert.match(message, /other: neither a run folder .* nor an experiment folder/);
});

Deno.test("a run folder without metrics.json is an error naming the folder and file", async () => {
  const broken = join(work, "broken");
  const dir = writeRun(broken, { id: runId(1), spec: toppopSpec(), metrics });
  Deno.removeSync(join(dir, "metrics.json"));
  assert.match(await userError([broken]), new RegExp(`${runId(1)}: .*metrics\\.json is missing`));
  assert.match(await userError([dir]), /metrics\.json is missing/);
});

Deno.test("unreadable run files are errors naming the file and field", async () => {
  const bad = join(work, "bad");
  const dir = writeRun(bad, { id: runId(1), spec: toppopSpec(), metrics });
  Deno.writeTextFileSync(join(dir, "metrics.json"), '{"test": {"ndcg@10": "high"}}');
  assert.match(await userError([dir]), /metrics\.json: test\.ndcg@10: expected a number/);
  Deno.writeTextFileSync(join(dir, "metrics.json"), "{");
  assert.match(await userError([dir]), /metrics\.json: not valid JSON/);
  Deno.writeTextFileSync(join(dir, "metrics.json"), "{}");
  Deno.writeTextFileSync(join(dir, "spec.json"), "{");
  assert.match(await userError([dir]), /spec\.json: not valid JSON/);
  Deno.writeTextFileSync(join(dir, "spec.json"), "[]");
  assert.match(await userError([dir]), /spec\.json: expected an object/);
});

Deno.test("no path at all is an error", async () => {
  assert.match(await userError([]), /no run or experiment folder given/);
});
