/**
 * Archiving and deleting runs: an archived run leaves every listing and comes back whole;
 * delete and archive refuse anything that is not a run folder of the results folder (the
 * root, an experiment folder, a path outside, a symbolic link, `..` tricks).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadRuns } from "../runners/compare/load_runs.ts";
import { UserError } from "../runners/errors.ts";
import { archiveMove, archiveRun, deleteRun, unarchiveRun } from "../runners/run_folder/archive.ts";
import { listExperiments, listRunFolders } from "../runners/run_folder/list_runs.ts";
import { runId, toppopSpec, writeRun } from "./compare_helpers.ts";
import { tempDir } from "./helpers/temp_dir.ts";

function results(): { root: string; runs: string[] } {
  const root = join(tempDir("archive-"), "results");
  const runs = [1, 2, 3].map((i) =>
    writeRun(join(root, "toppop"), {
      id: runId(i),
      spec: toppopSpec({ k: 10 + i }),
      metrics: { test: { ndcg: i / 10 } },
    })
  );
  return { root, runs };
}

const ids = (root: string, archived = false) =>
  listRunFolders(root, { archived }).map((r) => `${r.archived ? "a:" : ""}${r.runId}`);

Deno.test("an archived run leaves compare's and the results listing, and is restored whole", () => {
  const { root, runs } = results();
  const before = Deno.readTextFileSync(join(runs[1], "metrics.json"));
  const moved = archiveRun(root, runs[1]);
  assert.equal(moved.to, join(Deno.realPathSync(root), ".archive", "toppop", runId(2)));
  assert.deepEqual(ids(root), [runId(1), runId(3)]);
  assert.deepEqual(ids(root, true), [runId(1), runId(3), `a:${runId(2)}`]);
  assert.deepEqual(listExperiments(root), ["toppop"], ".archive is not an experiment");
  assert.deepEqual(loadRuns([join(root, "toppop")]).map((r) => r.id), [runId(1), runId(3)]);
  assert.throws(() => archiveRun(root, moved.to), /already archived/);
  // Restored by its archived path or by the path it had.
  const back = unarchiveRun(root, runs[1]);
  assert.equal(back.to, join(Deno.realPathSync(root), "toppop", runId(2)));
  assert.equal(Deno.readTextFileSync(join(runs[1], "metrics.json")), before);
  archiveRun(root, runs[1]);
  unarchiveRun(root, join(root, ".archive", "toppop", runId(2)));
  assert.deepEqual(ids(root, true), [runId(1), runId(2), runId(3)]);
  assert.throws(() => unarchiveRun(root, runs[1]), /is not archived/);
});

Deno.test("archive refuses to replace a run already in the archive", () => {
  const { root, runs } = results();
  Deno.mkdirSync(join(root, ".archive", "toppop", runId(1)), { recursive: true });
  assert.throws(() => archiveMove(root, runs[0]), /already exists: refusing to replace it/);
  assert.ok(Deno.statSync(join(runs[0], "spec.json")).isFile, "the run stays where it was");
});

Deno.test("delete removes a run folder, live or archived, and nothing beside it", () => {
  const { root, runs } = results();
  assert.equal(deleteRun(root, runs[0]), Deno.realPathSync(join(root, "toppop")) + `/${runId(1)}`);
  const archived = archiveRun(root, runs[1]).to;
  deleteRun(root, archived);
  assert.deepEqual(ids(root, true), [runId(3)]);
  const left = [...Deno.readDirSync(join(root, "toppop"))].map((e) => e.name);
  assert.deepEqual(left, [runId(3)], "no hidden leftovers");
});

Deno.test("delete and archive refuse the results root, experiment folders and paths outside", () => {
  const { root, runs } = results();
  const outside = join(root, "..", "elsewhere", "toppop", runId(9));
  writeRun(join(root, "..", "elsewhere", "toppop"), {
    id: runId(9),
    spec: toppopSpec(),
    metrics: { test: { ndcg: 0 } },
  });
  Deno.mkdirSync(join(root, ".archive", "toppop"), { recursive: true });
  const cases: Array<[string, RegExp]> = [
    [root, /the results folder itself/],
    [join(root, "toppop"), /not a run folder: expected/],
    [join(root, ".archive"), /not a run folder: expected/],
    [join(root, ".archive", "toppop"), /not a run folder: expected/],
    [outside, /outside the results folder/],
    [
      join(root, "toppop", "..", "..", "elsewhere", "toppop", runId(9)),
      /outside the results folder/,
    ],
    [join(root, "toppop", runId(7)), /no such run folder/],
    [join(runs[0], "spec.json"), /not a folder/],
  ];
  for (const [path, message] of cases) {
    for (const action of [deleteRun, archiveRun]) {
      assert.throws(
        () => action(root, path),
        (e) => e instanceof UserError && message.test(e.message),
        path,
      );
    }
  }
  assert.ok(Deno.statSync(join(outside, "spec.json")).isFile, "the run outside is untouched");
  assert.deepEqual(ids(root), [runId(1), runId(2), runId(3)]);
});

Deno.test("delete refuses symbolic links, folders not named like runs and folders without run files", () => {
  const { root, runs } = results();
  const elsewhere = tempDir("victim-");
  writeRun(elsewhere, { id: runId(8), spec: toppopSpec(), metrics: { test: { ndcg: 0 } } });
  // A link named like a run, to a run folder outside: the link is refused, its target kept.
  Deno.symlinkSync(join(elsewhere, runId(8)), join(root, "toppop", runId(8)));
  // A linked experiment folder: its runs are outside the results folder.
  Deno.symlinkSync(elsewhere, join(root, "linked"));
  // Named wrongly, or holding no run files, or a sweep's folder.
  Deno.mkdirSync(join(root, "toppop", "notes"));
  Deno.writeTextFileSync(join(root, "toppop", "notes", "spec.json"), "{}");
  Deno.mkdirSync(join(root, "toppop", runId(6)));
  Deno.writeTextFileSync(join(root, "toppop", runId(6), "keep.txt"), "mine");
  Deno.mkdirSync(join(root, "toppop", ".sweeps", runId(5)), { recursive: true });
  const cases: Array<[string, RegExp]> = [
    [join(root, "toppop", runId(8)), /symbolic link/],
    [join(root, "linked", runId(8)), /outside the results folder/],
    [join(root, "toppop", "notes"), /'notes' is not a run id/],
    [join(root, "toppop", runId(6)), /holds none of spec\.json, metrics\.json/],
    [join(root, "toppop", ".sweeps", runId(5)), /not a run folder: expected/],
  ];
  for (const [path, message] of cases) {
    assert.throws(
      () => deleteRun(root, path),
      (e) => e instanceof UserError && message.test(e.message),
      path,
    );
  }
  assert.ok(Deno.statSync(join(elsewhere, runId(8), "spec.json")).isFile);
  assert.equal(Deno.readTextFileSync(join(root, "toppop", runId(6), "keep.txt")), "mine");
  assert.equal(runs.length, 3);
});
