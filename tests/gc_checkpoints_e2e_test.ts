/**
 * `gc` through the command line and fine-tune checkpoints left by killed runs: the dry run
 * lists them as their own group (size, age, step, run) and touches nothing;
 * `--keep-checkpoints` keeps them; `gc` removes those no run computes, never one whose step
 * lock is live, and takes over the lock of a process that is gone (/proc: an e2e file).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openCheckpointFolder } from "../runners/cache/checkpoints.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { runCli } from "./helpers/cli.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { exists, fp, writeLock } from "./gc_helpers.ts";

const DAY = 24 * 3600 * 1000;
const work = tempDir("gc-ckpt-cli-");
const cache = join(work, "cache");
const results = join(work, "results");
Deno.mkdirSync(results, { recursive: true });

function leaveCheckpoint(f: string, bytes: number, run: string): string {
  const dir = openCheckpointFolder(cache, f as Fingerprint, { step: "finetune", name: "ft", run });
  Deno.writeFileSync(join(dir, "epoch-3.safetensors"), new Uint8Array(bytes));
  const then = new Date(Date.now() - 2 * DAY);
  for (const entry of Deno.readDirSync(dir)) Deno.utimeSync(join(dir, entry.name), then, then);
  return dir;
}

const gc = (...args: string[]) =>
  runCli(["gc", "--cache-dir", cache, "--results-dir", results, ...args]);

Deno.test("gc lists, keeps on request and removes fine-tune checkpoints no run is computing", async () => {
  const abandoned = leaveCheckpoint(fp(1), 250_000, "20261128T090000Z-aaaaaa");
  const running = leaveCheckpoint(fp(2), 4_000, "20261130T090000Z-bbbbbb");
  writeLock(cache, fp(2), true); // this test process: alive
  const orphaned = leaveCheckpoint(fp(3), 8_000, "20261129T090000Z-cccccc");
  writeLock(cache, fp(3), false); // a process of this machine that is gone
  const short = (f: string) => f.slice(0, 16);

  const dry = await gc("--dry-run");
  assert.equal(dry.code, 0, dry.stderr);
  const out = dry.stdout;
  assert.match(out, /checkpoints of unfinished steps/);
  assert.match(
    out,
    new RegExp(
      `would remove  ${
        short(fp(1))
      } +250\\.\\d kB +2 d old +finetune \\(ft\\), run 20261128T090000Z-aaaaaa`,
    ),
  );
  assert.match(out, new RegExp(`would remove  ${short(fp(3))} `));
  assert.match(out, new RegExp(`kept  ${short(fp(2))} .*\\(its step lock is live\\)`));
  assert.match(out, /would remove 2 checkpoint folders \(258\.\d kB\); kept 1 \(4\.\d kB\)/);
  assert.match(out, /--keep-checkpoints keeps them/);
  assert.ok(exists(abandoned) && exists(running) && exists(orphaned), "a dry run touches nothing");

  const keep = await gc("--keep-checkpoints");
  assert.equal(keep.code, 0, keep.stderr);
  assert.match(keep.stdout, /removed 0 checkpoint folders \(0 B\); kept 3/);
  assert.match(keep.stdout, /kept on request \(--keep-checkpoints\)/);
  assert.ok(exists(abandoned) && exists(running) && exists(orphaned));

  const real = await gc();
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stdout, /removed 2 checkpoint folders \(258\.\d kB\); kept 1/);
  assert.ok(!exists(abandoned) && !exists(orphaned));
  assert.ok(exists(join(running, "epoch-3.safetensors")), "its step's lock is live");
  assert.ok(exists(join(cache, "locks", `${fp(2)}.lock`)), "a live lock is left alone");
  assert.ok(
    !exists(join(cache, "locks", `${fp(3)}.lock`)),
    "the gone holder's was taken, then freed",
  );

  const again = await gc("--dry-run");
  assert.match(again.stdout, /would remove 0 checkpoint folders \(0 B\); kept 1/);
});
