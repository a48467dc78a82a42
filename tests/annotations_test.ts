/**
 * Tags and a note per run (annotations.json): added, removed, replaced atomically; kept out
 * of run.json's checksums, so a tagged run still verifies; read by readRun for compare.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../runners/errors.ts";
import { folderChanges } from "../runners/check/folder_changes.ts";
import {
  addTags,
  ANNOTATIONS_FILE,
  readAnnotations,
  removeTags,
  setNote,
} from "../runners/run_folder/annotations.ts";
import { readRun } from "../runners/run_folder/read_run.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const reference = join(import.meta.dirname!, "fixtures", "ci-reference");

/** A copy of CI's recorded reference run: a real run folder with checksums in run.json. */
function recordedRun(): string {
  const [name] = [...Deno.readDirSync(reference)].filter((e) => e.isDirectory).map((e) => e.name);
  const dir = join(tempDir("annotations-"), name);
  Deno.mkdirSync(dir);
  for (const file of Deno.readDirSync(join(reference, name))) {
    Deno.copyFileSync(join(reference, name, file.name), join(dir, file.name));
  }
  return dir;
}

Deno.test("a run without annotations has no tags and an empty note", () => {
  assert.deepEqual(readAnnotations(recordedRun()), { tags: [], note: "" });
});

Deno.test("tags are added once each, in order, and removed; the note is replaced and cleared", () => {
  const dir = recordedRun();
  assert.deepEqual(addTags(dir, ["baseline", "mal"]).tags, ["baseline", "mal"]);
  assert.deepEqual(addTags(dir, ["mal", "v2"]).tags, ["baseline", "mal", "v2"]);
  assert.deepEqual(removeTags(dir, ["mal", "absent"]).tags, ["baseline", "v2"]);
  assert.equal(
    setNote(dir, "  lr too high; re-run with 0.005 \n").note,
    "lr too high; re-run with 0.005",
  );
  assert.deepEqual(readAnnotations(dir), {
    tags: ["baseline", "v2"],
    note: "lr too high; re-run with 0.005",
  });
  assert.equal(setNote(dir, "").note, "");
  assert.deepEqual(readAnnotations(dir).tags, ["baseline", "v2"], "the note leaves tags alone");
  // Written whole through a temporary name: nothing else is left in the folder.
  const extra = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
    n.includes("annotations")
  );
  assert.deepEqual(extra, [ANNOTATIONS_FILE]);
});

Deno.test("a tagged and noted run still verifies: annotations.json is not a recorded file", () => {
  const dir = recordedRun();
  addTags(dir, ["baseline"]);
  setNote(dir, "the reference");
  const run = readRun(dir, { record: true });
  assert.ok(run.record?.files && !(ANNOTATIONS_FILE in run.record.files));
  assert.deepEqual(folderChanges(dir, run.record!, run.spec), []);
  assert.deepEqual(run.annotations, { tags: ["baseline"], note: "the reference" });
  // ...while an edit to a recorded file is still caught.
  Deno.writeTextFileSync(join(dir, "metrics.md"), "edited\n");
  assert.deepEqual(folderChanges(dir, run.record!, run.spec), [
    "metrics.md was edited after the run (its checksum differs from run.json's)",
  ]);
});

Deno.test("bad tags, a long note, a folder that is not a run and a damaged file are refused", () => {
  const dir = recordedRun();
  for (const bad of [[], [""], ["two words"], ["-dash"], ["a,b"], ["x".repeat(65)]]) {
    assert.throws(() => addTags(dir, bad), UserError, JSON.stringify(bad));
  }
  assert.throws(() => addTags(dir, ["a b"]), /'a b' is not a tag/);
  assert.throws(() => setNote(dir, "x".repeat(10_001)), /at most 10000 characters/);
  const notRun = tempDir("not-a-run-");
  assert.throws(() => addTags(notRun, ["x"]), /not a run folder/);
  assert.throws(() => setNote(join(notRun, "missing"), "x"), /no such run folder/);
  assert.deepEqual(
    [...Deno.readDirSync(notRun)],
    [],
    "nothing written into a folder that is not a run",
  );
  Deno.writeTextFileSync(join(dir, ANNOTATIONS_FILE), "{ not json");
  assert.throws(
    () => readAnnotations(dir),
    (e) => e instanceof UserError && /annotations\.json/.test(e.describe()),
  );
  Deno.writeTextFileSync(join(dir, ANNOTATIONS_FILE), JSON.stringify({ tags: "baseline" }));
  assert.throws(
    () => addTags(dir, ["x"]),
    /expected a list of strings/,
  );
  assert.equal(
    Deno.readTextFileSync(join(dir, ANNOTATIONS_FILE)),
    JSON.stringify({ tags: "baseline" }),
    "a damaged file is not overwritten",
  );
});
