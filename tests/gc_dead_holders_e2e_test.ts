/**
 * gc and leases of processes of this machine that are gone: their step locks protect
 * nothing, their scratch and run staging folders are pruned, their run marks removed.
 * Telling a process is gone needs /proc, which `--deny-run` (test:unit) hides from Deno,
 * hence an e2e file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { collectGarbage } from "../runners/cache/gc.ts";
import { localHolder } from "../runners/cache/lease.ts";
import { writeRunFolder } from "../runners/results.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { artifactDir, exists, fp, holder, writeArtifact, writeLock } from "./gc_helpers.ts";

function folders() {
  const work = tempDir("gc-dead-");
  const results = join(work, "results");
  Deno.mkdirSync(results);
  return { cache: join(work, "cache"), results };
}

Deno.test("this machine can tell a gone process (else the tests below prove nothing)", () => {
  assert.ok(localHolder().boot !== null, "/proc is readable");
});

Deno.test("a gone process's step lock does not protect an artifact; a live one does", async () => {
  const { cache, results } = folders();
  writeArtifact(cache, fp(1), 5);
  writeArtifact(cache, fp(2), 5);
  writeLock(cache, fp(1), true);
  writeLock(cache, fp(2), false);
  const report = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(report.kept.map((e) => [e.fingerprint, e.reason]), [[
    fp(1),
    "its step lock is live",
  ]]);
  assert.deepEqual(report.removed.map((e) => e.fingerprint), [fp(2)]);
});

Deno.test("a gone process's scratch folder is pruned, a live one's stays, a dry run prunes none", async () => {
  const { cache, results } = folders();
  const scratch = join(cache, "scratch");
  for (const [name, live] of [["step-00000000aaaa", true], ["step-00000000bbbb", false]] as const) {
    Deno.mkdirSync(join(scratch, name), { recursive: true });
    Deno.writeTextFileSync(join(scratch, name, "half.arrow"), "x");
    Deno.writeTextFileSync(
      join(scratch, `${name}.lease`),
      JSON.stringify({ token: name, holder: holder(live) }),
    );
  }
  const dry = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: true });
  assert.deepEqual(dry.scratch, { pruned: 0, left: 2 });
  const real = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(real.scratch, { pruned: 1, left: 1 });
  assert.ok(exists(join(scratch, "step-00000000aaaa", "half.arrow")));
  assert.ok(!exists(join(scratch, "step-00000000bbbb")));
});

Deno.test("a gone process's run mark keeps nothing and is removed (not in a dry run)", async () => {
  const { cache, results } = folders();
  writeArtifact(cache, fp(2), 4);
  const dead = join(cache, "runs", "20261130T120001Z-000000.json");
  Deno.mkdirSync(join(cache, "runs"), { recursive: true });
  Deno.writeTextFileSync(
    dead,
    JSON.stringify({ holder: holder(false, "dead"), fingerprints: [fp(2)] }),
  );
  const dry = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: true });
  assert.deepEqual(dry.runsInProgress, { live: [], staleRemoved: 0 });
  assert.ok(exists(dead) && exists(artifactDir(cache, fp(2))));
  const real = await collectGarbage({ cacheDir: cache, resultsDirs: [results], dryRun: false });
  assert.deepEqual(real.removed.map((e) => e.fingerprint), [fp(2)]);
  assert.deepEqual(real.runsInProgress, { live: [], staleRemoved: 1 });
  assert.ok(!exists(dead));
});

Deno.test("a gone process's run staging folder goes at the next run write; a live one's stays", () => {
  const { results } = folders();
  const parent = join(results, "exp");
  const staged = (runId: string, live: boolean) => {
    const dir = join(parent, `.${runId}.partial`);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "run.json"), "{}");
    Deno.writeTextFileSync(`${dir}.lease`, JSON.stringify({ token: runId, holder: holder(live) }));
    return dir;
  };
  const dead = staged("20261130T120000Z-dead00", false);
  const live = staged("20261130T120000Z-11fe00", true);
  writeRunFolder(results, "exp", "20261130T120001Z-000001", { "a.txt": "x" });
  assert.ok(!exists(dead) && !exists(`${dead}.lease`), "its writer is gone: no TTL to wait");
  assert.ok(exists(join(live, "run.json")) && exists(`${live}.lease`));
});
