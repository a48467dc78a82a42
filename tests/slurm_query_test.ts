/** Reading squeue's and scontrol's answers (lines captured from Slurm 22.05). */
import assert from "node:assert/strict";
import {
  parseSbatchJobId,
  parseScontrolJobs,
  parseSqueue,
  taskEnd,
} from "../runners/slurm/slurm_query.ts";

Deno.test("parseSqueue: one task per line, array task id or null for a single job", () => {
  const tasks = parseSqueue(
    "5_3|3|PENDING|JobArrayTaskLimit\n5_2|2|RUNNING|None\n8|N/A|PENDING|None\n\n",
  );
  assert.deepEqual(tasks, [
    { jobId: "5_3", taskId: 3, state: "PENDING", reason: "JobArrayTaskLimit" },
    { jobId: "5_2", taskId: 2, state: "RUNNING", reason: "None" },
    { jobId: "8", taskId: null, state: "PENDING", reason: "None" },
  ]);
  assert.deepEqual(parseSqueue(""), []);
  assert.throws(() => parseSqueue("garbage"), /unexpected squeue line/);
});

const FAILED_TASK = "JobId=7 ArrayJobId=5 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=wrap " +
  "UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) " +
  "QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=1 Restarts=0 " +
  "BatchFlag=1 Reboot=0 ExitCode=3:0 RunTime=00:00:02 TimeLimit=365-00:00:00 TimeMin=N/A " +
  "SubmitTime=2026-11-30T13:48:35 StartTime=2026-11-30T13:48:35 EndTime=2026-11-30T13:48:37 " +
  "Partition=debug NodeList=vm TRES=cpu=1,mem=1G,node=1,billing=1 WorkDir=/tmp/my folder " +
  "StdErr=/tmp/sj2-2.out StdIn=/dev/null StdOut=/tmp/sj2-2.out Power= ";
const CANCELLED_TASK = "JobId=5 ArrayJobId=5 ArrayTaskId=3 JobState=CANCELLED Reason=None " +
  "ExitCode=0:15 StartTime=2026-11-30T13:48:36 EndTime=2026-11-30T13:48:36";
const PENDING_REST = "JobId=9 ArrayJobId=9 ArrayTaskId=5-8%2 JobState=PENDING " +
  "Reason=JobArrayTaskLimit ExitCode=0:0";
const SINGLE_RUNNING = "JobId=12 JobName=recsys-bert JobState=RUNNING Reason=None ExitCode=0:0";

Deno.test("parseScontrolJobs: every Key=value, values with spaces kept whole", () => {
  const [record] = parseScontrolJobs(FAILED_TASK);
  assert.equal(record.JobId, "7");
  assert.equal(record.ArrayJobId, "5");
  assert.equal(record.ArrayTaskId, "2");
  assert.equal(record.JobState, "FAILED");
  assert.equal(record.ExitCode, "3:0");
  assert.equal(record.TRES, "cpu=1,mem=1G,node=1,billing=1", "only the first = splits");
  assert.equal(record.WorkDir, "/tmp/my folder");
  assert.equal(record.Power, "");
  const all = parseScontrolJobs([FAILED_TASK, CANCELLED_TASK, "", PENDING_REST].join("\n"));
  assert.equal(all.length, 3);
  assert.deepEqual(parseScontrolJobs("slurm_load_jobs error: Invalid job id specified"), []);
});

Deno.test("taskEnd: final states with exit code and signal; null while queued or running", () => {
  const [failed, cancelled, pending, running] = parseScontrolJobs(
    [FAILED_TASK, CANCELLED_TASK, PENDING_REST, SINGLE_RUNNING].join("\n"),
  );
  assert.deepEqual(taskEnd(failed), {
    state: "FAILED",
    exitCode: 3,
    signal: 0,
    reason: "NonZeroExitCode",
    start: "2026-11-30T13:48:35",
    end: "2026-11-30T13:48:37",
  });
  assert.equal(taskEnd(cancelled)!.state, "CANCELLED");
  assert.equal(taskEnd(cancelled)!.signal, 15);
  assert.equal(taskEnd(pending), null);
  assert.equal(taskEnd(running), null);
  for (const state of ["COMPLETED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"]) {
    assert.equal(taskEnd({ JobState: state, ExitCode: "0:0" })!.state, state);
  }
  assert.equal(taskEnd({ JobState: "COMPLETING" }), null);
});

Deno.test("parseSbatchJobId reads --parsable's answer, with or without a cluster", () => {
  assert.equal(parseSbatchJobId("123\n"), "123");
  assert.equal(parseSbatchJobId("123;cluster2"), "123");
  assert.throws(() => parseSbatchJobId("Submitted batch job 5"), /not a job id/);
});
