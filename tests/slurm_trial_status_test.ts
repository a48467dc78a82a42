/** How a Slurm task's end becomes a trial status: ran, failed (with Slurm's words), cancelled. */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TaskEnd } from "../runners/slurm/slurm_query.ts";
import { trialStatusOf } from "../runners/sweep/slurm_trials.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const end = (state: string, exitCode: number, signal = 0): TaskEnd => ({
  state,
  exitCode,
  signal,
  reason: "None",
});
const dir = tempDir("slurm-status-");
const log = join(dir, "trial-1.log");
Deno.writeTextFileSync(log, "task 1 of job 5 on vm\n");
const noLog = join(dir, "trial-2.log");

Deno.test("COMPLETED with exit 0 is a run only when its run folder is there", () => {
  assert.deepEqual(trialStatusOf(end("COMPLETED", 0), "/r/x/run", log), { status: "ran" });
  const missing = trialStatusOf(end("COMPLETED", 0), undefined, log);
  assert.equal(missing.status, "failed");
  assert.match(missing.note!, /no run folder/);
});

Deno.test("failed, timed-out and out-of-memory tasks: Slurm's state and the exit code", () => {
  assert.deepEqual(trialStatusOf(end("FAILED", 2), undefined, log), {
    status: "failed",
    note: "Slurm state FAILED, exit code 2",
  });
  assert.deepEqual(trialStatusOf(end("TIMEOUT", 0, 15), undefined, log), {
    status: "failed",
    note: "Slurm state TIMEOUT, exit code 0, signal 15",
  });
  assert.equal(trialStatusOf(end("OUT_OF_MEMORY", 0, 9), undefined, log).status, "failed");
  assert.equal(trialStatusOf(end("NODE_FAIL", 0), undefined, log).status, "failed");
});

Deno.test("CANCELLED is cancelled, also when Slurm kept no record of a task never started", () => {
  assert.deepEqual(trialStatusOf(end("CANCELLED", 0, 15), undefined, log), {
    status: "cancelled",
    note: "Slurm state CANCELLED, exit code 0, signal 15",
  });
  const vanished = trialStatusOf(null, undefined, noLog);
  assert.equal(vanished.status, "cancelled");
  assert.equal(vanished.slurmState, "CANCELLED");
});

Deno.test("a task Slurm forgot counts by its run folder, else it failed", () => {
  assert.deepEqual(trialStatusOf(null, "/r/x/run", log), { status: "ran" });
  const forgotten = trialStatusOf(null, undefined, log);
  assert.equal(forgotten.status, "failed");
  assert.match(forgotten.note!, /no longer knows/);
});
