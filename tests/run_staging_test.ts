/**
 * Staging folders of run folders (`<results>/<exp>/.<id>.partial`) are pruned by lease, not
 * by age: a writer that is still renewing keeps its folder however old, one that went quiet
 * for the TTL (a run killed on another host or container) loses it at the next write, and a
 * folder of an older version (no lease) still goes after a day.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeRunFolder } from "../runners/results.ts";
import { pruneStaging, StagingFolder } from "../runners/run_folder/staging.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const timing = { ttlMs: 200, renewMs: 40 };
const DAY = 24 * 3600 * 1000;
const id = (n: number) => `20261130T1200${String(n).padStart(2, "0")}Z-abcd${n}0`;

/** A run on another host or container: this host cannot see its process. */
const elsewhere = {
  host: "container-7",
  pid: 11,
  boot: "b",
  pidNamespace: "pid:[4]",
  processStart: "1",
  run: "r",
  since: "2026-11-29T10:00:00.000Z",
};

/** A staging folder with one file and a lease written by a run elsewhere; `ageMs` old. */
function foreignStaging(parent: string, runId: string, ageMs: number): string {
  const dir = join(parent, `.${runId}.partial`);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(join(dir, "recommendations.csv"), "user_id,recommendations\n");
  Deno.writeTextFileSync(`${dir}.lease`, JSON.stringify({ token: runId, holder: elsewhere }));
  const then = new Date(Date.now() - ageMs);
  Deno.utimeSync(dir, then, then);
  return dir;
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Bumps a lease file's mtime, as the holder's heartbeat does. */
function renew(leaseFile: string, n: number): void {
  const stamp = new Date(Date.now() + n * 1000);
  Deno.utimeSync(leaseFile, stamp, stamp);
}

Deno.test("a staging folder older than a day whose lease is renewed is kept by the next run", () => {
  const results = tempDir("staging-live-");
  const parent = join(results, "exp");
  const slow = foreignStaging(parent, id(1), 2 * DAY);
  let clock = 1_000;
  const write = (n: number) =>
    writeRunFolder(results, "exp", id(n), { "a.txt": "x" }, { timing, now: () => clock });
  write(2);
  assert.ok(exists(join(slow, "recommendations.csv")), "two days old but leased: kept");
  for (let n = 3; n <= 6; n++) {
    clock += 150; // more than the TTL in all, but renewed in between
    renew(`${slow}.lease`, n);
    write(n);
  }
  assert.ok(exists(join(slow, "recommendations.csv")), "renewed: still the writer's");
  assert.ok(Deno.statSync(join(parent, id(6))).isDirectory, "the runs were written meanwhile");
});

Deno.test("a staging folder whose lease went quiet for the TTL is removed, with its lease", () => {
  const results = tempDir("staging-dead-");
  const parent = join(results, "exp");
  const dead = foreignStaging(parent, id(1), 0);
  let clock = 1_000;
  const write = (n: number) =>
    writeRunFolder(results, "exp", id(n), { "a.txt": "x" }, { timing, now: () => clock });
  write(2);
  assert.ok(exists(dead), "first seen: live until it stays quiet for the TTL");
  clock += 199;
  write(3);
  assert.ok(exists(dead));
  clock += 1;
  write(4);
  assert.ok(!exists(dead), "an hour-old folder of a dead writer goes, not a day later");
  assert.ok(!exists(`${dead}.lease`));
  // Nothing is left beside the runs: no lease, no observations of leases that are gone.
  const names = [...Deno.readDirSync(parent)].map((e) => e.name).sort();
  assert.deepEqual(names, [id(2), id(3), id(4)]);
});

Deno.test("a staging folder without a lease (an older version's) still goes after a day", () => {
  const parent = join(tempDir("staging-old-"), "exp");
  const old = foreignStaging(parent, id(1), 2 * DAY);
  const recent = foreignStaging(parent, id(2), 3600 * 1000);
  Deno.removeSync(`${old}.lease`);
  Deno.removeSync(`${recent}.lease`);
  const foreign = join(parent, ".notes.partial");
  Deno.mkdirSync(foreign);
  const then = new Date(Date.now() - 3 * DAY);
  Deno.utimeSync(foreign, then, then);
  assert.equal(pruneStaging(parent, { timing }), 1);
  assert.ok(!exists(old) && exists(recent));
  assert.ok(exists(foreign), "not named like a run's staging folder: not ours");
});

Deno.test("a lease left without its folder (killed after the rename) goes once expired", () => {
  const parent = join(tempDir("staging-orphan-"), "exp");
  const dir = foreignStaging(parent, id(1), 0);
  Deno.removeSync(dir, { recursive: true });
  let clock = 0;
  pruneStaging(parent, { timing, now: () => clock });
  assert.ok(exists(`${dir}.lease`));
  clock = 500;
  pruneStaging(parent, { timing, now: () => clock });
  assert.ok(!exists(`${dir}.lease`));
});

Deno.test("a run being written holds a lease until its folder is renamed into place", () => {
  const parent = join(tempDir("staging-own-"), "exp");
  Deno.mkdirSync(parent);
  const folder = StagingFolder.create(parent, id(1), { timing });
  const then = new Date(Date.now() - 2 * DAY);
  Deno.utimeSync(folder.dir, then, then);
  assert.equal(pruneStaging(parent, { timing, now: () => Date.now() + 2 * DAY }), 0);
  assert.ok(exists(folder.dir) && exists(`${folder.dir}.lease`));
  assert.throws(() => StagingFolder.create(parent, id(1), { timing }), /already being written/);
  folder.commit(join(parent, id(1)));
  assert.ok(!exists(folder.dir) && !exists(`${folder.dir}.lease`));
  assert.ok(exists(join(parent, id(1))));
});
