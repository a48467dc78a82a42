/**
 * sweep.json updates by concurrent followers of a Slurm sweep (`sweep status`, the results
 * browser): each merge waits for the record's lease, applies onto the file as it is then,
 * never rewrites a trial already ended, and merging the same end twice changes nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { StepLocks } from "../runners/cache/lock.ts";
import { pollSlurmSweep } from "../runners/sweep/slurm_sweep_poll.ts";
import {
  mergeTrialEnds,
  openSlurmTasks,
  readSweepRecord,
  replaceSweepRecord,
} from "../runners/sweep/sweep_record_merge.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { ended, FakeSlurm, writeSlurmSweep, writeTrialRun } from "./helpers/slurm_sweep_record.ts";

const statuses = (dir: string) => readSweepRecord(dir).trials.map((t) => t.status);

Deno.test("a merge waits while another follower holds the record's lease", async () => {
  const dir = writeSlurmSweep(tempDir("sweep-merge-"), 2);
  const other = new StepLocks(dir);
  assert.ok(other.tryAcquire("sweep-record"));
  const before = Deno.readTextFileSync(join(dir, "sweep.json"));
  const merging = mergeTrialEnds(dir, new Map([["77_1", { status: "failed" }]]));
  assert.equal(Deno.readTextFileSync(join(dir, "sweep.json")), before, "not written while held");
  other.release("sweep-record");
  await merging;
  assert.deepEqual(statuses(dir), ["failed", "submitted"]);
});

Deno.test("merges apply onto the file as it is now: two followers' ends both stay", async () => {
  const dir = writeSlurmSweep(tempDir("sweep-merge-"), 3);
  // Follower A read the record when all three were queued; B recorded trial 2 meanwhile.
  const staleCopy = readSweepRecord(dir);
  await mergeTrialEnds(dir, new Map([["77_2", { status: "ran", run_dir: "/r/2" }]]));
  await mergeTrialEnds(dir, new Map([["77_1", { status: "failed", note: "Slurm state FAILED" }]]));
  assert.equal(openSlurmTasks(staleCopy).size, 3);
  const record = readSweepRecord(dir);
  assert.deepEqual(record.trials.map((t) => t.status), ["failed", "ran", "submitted"]);
  assert.equal(record.trials[1].run_dir, "/r/2");
  // Kept as written: fields the followers do not know about.
  assert.equal(record.spec, "/specs/toppop.yaml");
});

Deno.test("an ended trial keeps its first end; the same end merged twice changes nothing", async () => {
  const dir = writeSlurmSweep(tempDir("sweep-merge-"), 2);
  const end = new Map([["77_1", { status: "ran", run_dir: "/r/1", exit_code: 0 }]]);
  await mergeTrialEnds(dir, end);
  const once = Deno.readTextFileSync(join(dir, "sweep.json"));
  await mergeTrialEnds(dir, end);
  await mergeTrialEnds(dir, new Map([["77_1", { status: "failed", run_dir: null }]]));
  assert.equal(Deno.readTextFileSync(join(dir, "sweep.json")), once);
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".tmp")),
    [],
  );
});

Deno.test("the submitting command's last record keeps ends a follower recorded meanwhile", async () => {
  const dir = writeSlurmSweep(tempDir("sweep-merge-"), 2);
  // What the command wrote at submission, and will write again (detached) at its end.
  const own = readSweepRecord(dir);
  await mergeTrialEnds(dir, new Map([["77_2", { status: "ran", run_dir: "/r/2" }]]));
  const next = { ...own, launcher: { ...own.launcher!, detached: true }, seconds: 2 };
  const written = await replaceSweepRecord(dir, next);
  assert.deepEqual(written, readSweepRecord(dir));
  assert.deepEqual(written.trials.map((t) => [t.status, t.run_dir]), [
    ["submitted", null],
    ["ran", "/r/2"],
  ]);
  assert.equal(written.launcher!.detached, true);
  assert.equal(written.seconds, 2);
});

Deno.test("pollSlurmSweep: ended tasks become trial statuses as sweep status records them", async () => {
  const results = tempDir("sweep-merge-");
  const dir = writeSlurmSweep(results, 3);
  const run1 = writeTrialRun(results, 1);
  const slurm = new FakeSlurm();
  const running = new Set<string>();
  slurm.tasks.set("77_1", "RUNNING");
  assert.equal((await pollSlurmSweep(dir, running, slurm.poll)).open, 3);
  assert.deepEqual([...running], ["77_1"]);
  assert.deepEqual(statuses(dir), ["submitted", "submitted", "submitted"]);

  slurm.tasks.set("77_1", ended("COMPLETED", 0));
  slurm.tasks.set("77_2", ended("FAILED", 2));
  slurm.tasks.set("77_3", ended("COMPLETED", 0)); // but no run folder has plan-3
  const { open, record } = await pollSlurmSweep(dir, running, slurm.poll);
  assert.equal(open, 0);
  assert.deepEqual(running, new Set());
  const [t1, t2, t3] = record.trials;
  assert.deepEqual([t1.status, t1.run_dir, t1.exit_code, t1.slurm_state, t1.seconds], [
    "ran",
    run1,
    0,
    "COMPLETED",
    3,
  ]);
  assert.deepEqual([t2.status, t2.note, t2.run_dir], [
    "failed",
    "Slurm state FAILED, exit code 2",
    null,
  ]);
  assert.match(t3.note!, /no run folder has its plan/);
  assert.deepEqual(readSweepRecord(dir), record);
  // Nothing queued: no more questions to Slurm.
  const calls = slurm.calls;
  assert.equal((await pollSlurmSweep(dir, running, slurm.poll)).open, 0);
  assert.equal(slurm.calls, calls);
});

Deno.test("pollSlurmSweep: a task another follower recorded as ended stops counting as running", async () => {
  const results = tempDir("sweep-merge-");
  const dir = writeSlurmSweep(results, 2);
  writeTrialRun(results, 1);
  const slurm = new FakeSlurm();
  slurm.tasks.set("77_1", "RUNNING");
  const mine = new Set<string>();
  await pollSlurmSweep(dir, mine, slurm.poll);
  assert.deepEqual([...mine], ["77_1"]);
  // The other follower (serve, say) sees trial 1 end and records it first.
  slurm.tasks.set("77_1", ended("COMPLETED", 0));
  await pollSlurmSweep(dir, new Set(), slurm.poll);
  const { open } = await pollSlurmSweep(dir, mine, slurm.poll);
  assert.equal(open, 1);
  assert.deepEqual([...mine], [], "trial 1 is no longer running here either");
});
