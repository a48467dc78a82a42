/**
 * Checkpoints of unfinished steps (`<cache>/checkpoints/<fp>/`): a step's folder records what
 * it belongs to; gc lists leftovers with size, age and step, removes those no run is
 * computing, keeps a live lock's and a planned step's, touches nothing in a dry run, and
 * keeps them all with `keepCheckpoints`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openCheckpointFolder } from "../runners/cache/checkpoints.ts";
import { collectGarbage } from "../runners/cache/gc.ts";
import { markRunInProgress } from "../runners/cache/run_marks.ts";
import { executePlan } from "../runners/execute.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { ProgressReporter } from "../runners/progress.ts";
import type { StepKind } from "../runners/steps/step.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { exists, fp, writeLock } from "./gc_helpers.ts";

const DAY = 24 * 3600 * 1000;

/** A checkpoint folder as a fine-tune leaves it: an owner (unless `owner` is false), weights. */
function leaveCheckpoint(cache: string, f: string, bytes: number, ageMs: number, owner = true) {
  const dir = owner
    ? openCheckpointFolder(cache, f as Fingerprint, {
      step: "finetune",
      name: "finetune",
      run: "r-1",
    })
    : join(cache, "checkpoints", f);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeFileSync(join(dir, "epoch-2.safetensors"), new Uint8Array(bytes));
  Deno.writeTextFileSync(join(dir, "state.json"), "{}");
  const then = new Date(Date.now() - ageMs);
  for (const entry of Deno.readDirSync(dir)) Deno.utimeSync(join(dir, entry.name), then, then);
  return dir;
}

function setUp(prefix: string) {
  const work = tempDir(prefix);
  const cache = join(work, "cache");
  const results = join(work, "results");
  Deno.mkdirSync(results, { recursive: true });
  Deno.mkdirSync(cache, { recursive: true });
  const gc = (dryRun: boolean, keepCheckpoints = false) =>
    collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun, keepCheckpoints });
  return { cache, gc };
}

Deno.test("gc lists leftover checkpoints (size, age, step) and removes those no run computes", async () => {
  const { cache, gc } = setUp("gc-ckpt-");
  const abandoned = leaveCheckpoint(cache, fp(1), 3000, 3 * DAY);
  const oldVersion = leaveCheckpoint(cache, fp(2), 100, 2 * DAY, false);
  const locked = leaveCheckpoint(cache, fp(3), 500, DAY);
  writeLock(cache, fp(3), true);
  const planned = leaveCheckpoint(cache, fp(4), 700, DAY);
  const unmark = markRunInProgress(cache, "20261130T120000Z-abcdef", [fp(4)]);
  const aside = leaveCheckpoint(cache, fp(5), 50, 0, false) + ".gc-0123abcd";
  Deno.renameSync(join(cache, "checkpoints", fp(5)), aside);
  const notOurs = join(cache, "checkpoints", "notes");
  Deno.mkdirSync(notOurs);

  const dry = await gc(true);
  const entries = (list: typeof dry.checkpoints.removed) =>
    list.map((e) => [e.fingerprint, e.step, e.run, e.reason]);
  assert.deepEqual(
    entries(dry.checkpoints.removed),
    [
      [fp(1), "finetune", "r-1", "no run is computing its step"],
      [fp(2), null, null, "no run is computing its step"],
      [fp(5), null, null, "left by an interrupted gc"],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
  assert.deepEqual(
    new Map(entries(dry.checkpoints.kept).map((e) => [e[0], e[3]])),
    new Map([[fp(3), "its step lock is live"], [
      fp(4),
      "its step is planned by a run in progress",
    ]]),
  );
  const first = dry.checkpoints.removed.find((e) => e.fingerprint === fp(1))!;
  assert.ok(first.bytes > 3000 && first.bytes < 3200, "weights, state and owner");
  assert.ok(Math.abs(Date.now() - Date.parse(first.modified!) - 3 * DAY) < 60_000);
  assert.equal(
    dry.checkpoints.removedBytes,
    dry.checkpoints.removed.reduce((sum, e) => sum + e.bytes, 0),
  );
  for (const dir of [abandoned, oldVersion, locked, planned, aside, notOurs]) {
    assert.ok(exists(dir), `a dry run touches nothing: ${dir}`);
  }

  const real = await gc(false);
  assert.deepEqual(entries(real.checkpoints.removed), entries(dry.checkpoints.removed));
  assert.ok(!exists(abandoned) && !exists(oldVersion) && !exists(aside));
  assert.ok(exists(join(locked, "epoch-2.safetensors")), "its step is being computed");
  assert.ok(exists(join(planned, "epoch-2.safetensors")), "a run in progress may resume it");
  assert.ok(exists(notOurs));
  assert.ok(!exists(join(cache, "locks", `${fp(1)}.lock`)), "gc released the lock it took");
  unmark();
  assert.deepEqual(
    (await gc(false)).checkpoints.removed.map((e) => e.fingerprint),
    [fp(4)],
    "the run ended without it: nothing will resume it",
  );
});

Deno.test("keepCheckpoints keeps every checkpoint folder, and an interrupted gc's leftovers still go", async () => {
  const { cache, gc } = setUp("gc-ckpt-keep-");
  const kept = leaveCheckpoint(cache, fp(1), 10, DAY);
  const aside = leaveCheckpoint(cache, fp(2), 10, 0, false) + ".gc-0123abcd";
  Deno.renameSync(join(cache, "checkpoints", fp(2)), aside);
  const report = await gc(false, true);
  assert.deepEqual(report.checkpoints.kept.map((e) => [e.fingerprint, e.reason]), [
    [fp(1), "kept on request (--keep-checkpoints)"],
  ]);
  assert.deepEqual(report.checkpoints.removed.map((e) => e.fingerprint), [fp(2)]);
  assert.ok(exists(kept) && !exists(aside));
});

Deno.test("a step's checkpoint folder names its step and run; the saved artifact ends it", async () => {
  const { cache, gc } = setUp("gc-ckpt-exec-");
  let attempt = 0;
  const kind: StepKind = {
    kind: "slow_train",
    modules: [import.meta.url],
    run(_params, _inputs, ctx) {
      const dir = ctx.checkpointDir!();
      attempt++;
      if (attempt === 1) {
        Deno.writeTextFileSync(join(dir, "epoch-1.safetensors"), "w");
        return Promise.reject(new Error("killed after epoch 1"));
      }
      assert.ok(exists(join(dir, "epoch-1.safetensors")), "the next attempt resumes");
      return Promise.resolve({ tables: {}, meta: {} });
    },
  };
  const run = (label: string) =>
    executePlan([{ name: "train", kind, params: { epochs: 2 }, inputs: {} }], {
      cacheDir: cache,
      progress: new ProgressReporter(1, true),
      outputs: ["train"],
      runLabel: label,
    });
  await assert.rejects(run("first-run"), /killed after epoch 1/);
  const report = await gc(true);
  assert.deepEqual(
    report.checkpoints.removed.map((e) => [e.step, e.name, e.run]),
    [["slow_train", "train", "first-run"]],
  );
  const [{ fingerprint }] = (await run("second-run")).records;
  assert.ok(!exists(join(cache, "checkpoints", fingerprint)), "done: its checkpoints are gone");
});
