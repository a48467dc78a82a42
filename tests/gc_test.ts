/**
 * gc of the cache: every artifact a kept run (live, archived, still being written, a suite
 * recording its members) references survives, and only unreferenced ones go; live locks and
 * scratch leases are respected; a run without a record of its steps keeps everything.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { collectGarbage } from "../runners/cache/gc.ts";
import { markRunInProgress, runsInProgress } from "../runners/cache/run_marks.ts";
import { UserError } from "../runners/errors.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import {
  artifactDir,
  exists,
  fp,
  holder,
  type Place,
  writeArtifact,
  writeLock,
  writeRunFolder,
} from "./gc_helpers.ts";

const scenario = fc.record({
  artifacts: fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 0, maxLength: 10 }),
  runs: fc.array(
    fc.record({
      refs: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 6 }),
      place: fc.constantFrom<Place>("live", "archived", "partial"),
    }),
    { maxLength: 6 },
  ),
  locked: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 3 }),
  dryRun: fc.boolean(),
});

Deno.test("property: what kept runs reference survives; only unreferenced, unlocked artifacts go", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ artifacts, runs, locked, dryRun }) => {
      const work = tempDir("gc-prop-");
      const cache = join(work, "cache");
      const results = join(work, "results");
      Deno.mkdirSync(results, { recursive: true });
      // Fingerprints 0..14: those below artifacts.length are in the cache; runs may also
      // reference artifacts that are gone.
      artifacts.forEach((bytes, i) => writeArtifact(cache, fp(i), bytes));
      Deno.mkdirSync(join(cache, "artifacts"), { recursive: true });
      runs.forEach((run, n) => writeRunFolder(results, n, run.refs.map(fp), run.place));
      for (const i of locked) writeLock(cache, fp(i), true);
      const referenced = new Set(runs.flatMap((r) => r.refs));
      const report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun });

      for (let i = 0; i < artifacts.length; i++) {
        const kept = referenced.has(i) || locked.includes(i);
        const present = exists(artifactDir(cache, fp(i)));
        if (kept || dryRun) assert.ok(present, `artifact ${i} must survive`);
        else assert.ok(!present, `artifact ${i} is unreferenced and must go`);
      }
      const removed = new Set(report.removed.map((e) => e.fingerprint));
      for (const i of referenced) {
        assert.ok(!removed.has(fp(i)), `referenced ${i} listed as removed`);
      }
      for (const i of locked) assert.ok(!removed.has(fp(i)), `locked ${i} listed as removed`);
      assert.equal(report.removed.length + report.kept.length, artifacts.length);
      const expectedBytes = artifacts.reduce(
        (sum, bytes, i) => sum + (removed.has(fp(i)) ? bytes : 0),
        0,
      );
      // Each artifact also holds its manifest: count only the table bytes by subtraction.
      const manifests = report.removed.reduce(
        (sum, e) => sum + JSON.stringify({ step: "train", fingerprint: e.fingerprint }).length,
        0,
      );
      assert.equal(report.removedBytes - manifests, expectedBytes);
      assert.equal(report.runsRead, runs.length);
      Deno.removeSync(work, { recursive: true });
    }),
    { numRuns: 40 },
  );
});

Deno.test("a run that records no steps' fingerprints keeps everything, and says which", async () => {
  const work = tempDir("gc-old-");
  const cache = join(work, "cache");
  const results = join(work, "results");
  writeArtifact(cache, fp(1), 10);
  writeArtifact(cache, fp(2), 10);
  writeRunFolder(results, 1, [fp(1)]);
  const old = writeRunFolder(results, 2, []);
  Deno.writeTextFileSync(join(old, "run.json"), JSON.stringify({ steps: [{ name: "train" }] }));
  let report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.unrecordedRuns, [old]);
  assert.deepEqual(report.removed, []);
  assert.deepEqual(
    new Map(report.kept.map((e) => [e.fingerprint, e.reason])),
    new Map([[fp(1), "referenced by a kept run"], [fp(2), "some run does not record its steps"]]),
  );

  assert.ok(exists(artifactDir(cache, fp(2))));
  Deno.removeSync(join(old, "run.json"));
  report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.unrecordedRuns, [old], "no run.json at all: the same");
  Deno.removeSync(old, { recursive: true });
  report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.removed.map((e) => e.fingerprint), [fp(2)]);
  assert.ok(exists(artifactDir(cache, fp(1))) && !exists(artifactDir(cache, fp(2))));
});

Deno.test("what an interrupted gc left aside goes next time", async () => {
  const work = tempDir("gc-aside-");
  const cache = join(work, "cache");
  const results = join(work, "results");
  Deno.mkdirSync(results);
  const aside = `${artifactDir(cache, fp(5))}.gc-0123abcd`;
  Deno.mkdirSync(aside, { recursive: true });
  Deno.writeTextFileSync(join(aside, "t.arrow"), "xy");
  // Referenced or not, a folder renamed aside is no longer an artifact anyone loads.
  writeRunFolder(results, 1, [fp(5)]);
  const report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.removed.map((e) => [e.reason, e.bytes]), [[
    "left by an interrupted gc",
    2,
  ]]);
  assert.ok(!exists(aside));
});

Deno.test("a results or cache folder that is not there is an error, before anything goes", async () => {
  const work = tempDir("gc-missing-");
  const cache = join(work, "cache");
  writeArtifact(cache, fp(6), 1);
  const typo = join(work, "resluts");
  const error = await caught(() =>
    collectGarbage({ cacheDir: cache, resultsDirs: [typo], dryRun: false })
  );
  assert.ok(
    error instanceof UserError && /no such results folder/.test(error.describe()),
    String(error),
  );
  assert.ok(exists(artifactDir(cache, fp(6))));
  const none = await caught(() =>
    collectGarbage({ cacheDir: join(work, "nocache"), resultsDirs: [work], dryRun: true })
  );
  assert.ok(none instanceof UserError && /no such cache folder/.test(none.describe()));
  const empty = await caught(() =>
    collectGarbage({ cacheDir: cache, resultsDirs: [], dryRun: true })
  );
  assert.ok(empty instanceof UserError && /no results folder given/.test(empty.describe()));
});

Deno.test("a live step lock keeps an unreferenced artifact", async () => {
  const work = tempDir("gc-locks-");
  const cache = join(work, "cache");
  const results = join(work, "results");
  Deno.mkdirSync(results);
  writeArtifact(cache, fp(1), 5);
  writeArtifact(cache, fp(2), 5);
  writeLock(cache, fp(1), true);
  const report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.kept.map((e) => [e.fingerprint, e.reason]), [[
    fp(1),
    "its step lock is live",
  ]]);
  assert.deepEqual(report.removed.map((e) => e.fingerprint), [fp(2)]);
});

Deno.test("a scratch folder in use stays; a dry run touches nothing; foreign names are left", async () => {
  const work = tempDir("gc-scratch-");
  const cache = join(work, "cache");
  const results = join(work, "results");
  Deno.mkdirSync(results);
  const scratch = join(cache, "scratch");
  Deno.mkdirSync(join(scratch, "step-00000000aaaa"), { recursive: true });
  Deno.writeTextFileSync(join(scratch, "step-00000000aaaa", "half.arrow"), "x");
  Deno.writeTextFileSync(
    join(scratch, "step-00000000aaaa.lease"),
    JSON.stringify({ token: "t", holder: holder(true) }),
  );
  writeArtifact(cache, fp(3), 7);
  // Not the runner's: a folder aside of a replaced artifact, and the file-hash memo.
  const corrupt = join(cache, "artifacts", fp(4).slice(0, 2), `${fp(4)}.corrupt-1234abcd`);
  Deno.mkdirSync(corrupt, { recursive: true });
  Deno.writeTextFileSync(join(cache, "file-hashes.json"), "{}");

  const dry = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: true });
  assert.deepEqual(dry.removed.map((e) => [e.fingerprint, e.step, e.bytes > 7]), [[
    fp(3),
    "train",
    true,
  ]]);
  assert.deepEqual(dry.scratch, { pruned: 0, left: 1 });
  assert.ok(exists(artifactDir(cache, fp(3))));

  const real = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(real.removed.map((e) => e.fingerprint), [fp(3)]);
  assert.equal(real.removedBytes, dry.removedBytes);
  assert.deepEqual(real.scratch, { pruned: 0, left: 1 });
  assert.ok(exists(join(scratch, "step-00000000aaaa", "half.arrow")), "a live step's folder stays");
  assert.ok(exists(corrupt) && exists(join(cache, "file-hashes.json")));
});

Deno.test("a run in progress keeps what its plan uses until its mark is removed", async () => {
  const work = tempDir("gc-marks-");
  const cache = join(work, "cache");
  const results = join(work, "results");
  Deno.mkdirSync(results);
  for (const i of [1, 2]) writeArtifact(cache, fp(i), 4);
  const unmark = markRunInProgress(cache, "20261130T120000Z-abcdef", [fp(1)]);
  const report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.kept.map((e) => [e.fingerprint, e.reason]), [[
    fp(1),
    "used by a run in progress",
  ]]);
  assert.deepEqual(report.removed.map((e) => e.fingerprint), [fp(2)]);
  assert.deepEqual(report.runsInProgress, {
    live: [join(Deno.realPathSync(cache), "runs", "20261130T120000Z-abcdef.json")],
    staleRemoved: 0,
  });
  unmark();
  assert.deepEqual(runsInProgress(cache).live, [], "the run's end removes its mark");
  const after = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(after.removed.map((e) => e.fingerprint), [fp(1)]);
});
