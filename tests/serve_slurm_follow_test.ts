/**
 * The results browser follows a detached Slurm sweep itself, with a fake Slurm injected as
 * the poll function: one poller per sweep however many clients, trials recorded into
 * sweep.json and pushed on the event stream, the poller stopped when no client watches or
 * the sweep is done; without Slurm's commands on PATH the page says it cannot follow.
 */
import assert from "node:assert/strict";
import { SlurmFollowers } from "../runners/serve/slurm_followers.ts";
import { createContext, createHandler } from "../runners/serve/server.ts";
import { readSweepRecord } from "../runners/sweep/sweep_record_merge.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import {
  ended,
  EXPERIMENT,
  FakeSlurm,
  SWEEP_ID,
  writeSlurmSweep,
  writeTrialRun,
} from "./helpers/slurm_sweep_record.ts";

const statuses = (dir: string) => readSweepRecord(dir).trials.map((t) => t.status);

/** Resolves at the fake's next poll, once the table may be changed for it. */
function nextPoll(slurm: FakeSlurm): Promise<number> {
  return new Promise((resolve) => {
    slurm.onPoll = (call) => {
      slurm.onPoll = () => {};
      resolve(call);
    };
  });
}

Deno.test("one poller per sweep for any number of clients; it stops with the last one", async () => {
  const results = tempDir("serve-follow-");
  const dir = writeSlurmSweep(results, 3);
  writeTrialRun(results, 1);
  const slurm = new FakeSlurm();
  const followers = new SlurmFollowers({ poll: slurm.poll, intervalMs: 1 });
  try {
    let poll = nextPoll(slurm);
    const first = followers.watch(dir);
    const second = followers.watch(dir);
    assert.equal(await poll, 1);
    slurm.tasks.set("77_1", "RUNNING");
    poll = nextPoll(slurm);
    await poll;
    assert.deepEqual(followers.state(dir), { state: "following", running: ["77_1"] });
    slurm.tasks.set("77_1", ended("COMPLETED", 0));
    slurm.tasks.set("77_2", ended("FAILED", 1));
    poll = nextPoll(slurm);
    await poll;
    await nextPoll(slurm); // the poll before it has merged its ends by now
    assert.deepEqual(statuses(dir), ["ran", "failed", "submitted"]);
    assert.equal(slurm.maxInFlight, 1, "one poller, never two polls at once");
    first();
    assert.ok(followers.state(dir), "still watched by the second client");
    second();
    await followers.close();
    const calls = slurm.calls;
    assert.equal(followers.state(dir), undefined);
    assert.equal(slurm.calls, calls, "no poll after the last client left");
  } finally {
    await followers.close();
  }
});

Deno.test("the poller stops by itself once no trial is queued", async () => {
  const results = tempDir("serve-follow-");
  const dir = writeSlurmSweep(results, 2);
  const slurm = new FakeSlurm();
  slurm.tasks.set("77_1", ended("CANCELLED", 0));
  slurm.tasks.set("77_2", ended("TIMEOUT", 0));
  const followers = new SlurmFollowers({ poll: slurm.poll, intervalMs: 1 });
  const release = followers.watch(dir);
  await followers.stopped(dir); // while still watched: nothing is left to ask about
  assert.equal(slurm.calls, 1);
  assert.deepEqual(statuses(dir), ["cancelled", "failed"]);
  release();
  await followers.close();
});

/** The events of a stream until it ends (or `enough` says so; then `cancel` ends it). */
async function readEvents(
  response: Response,
  enough: (views: Array<Record<string, unknown>>) => boolean = () => false,
) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const views: Array<Record<string, unknown>> = [];
  let text = "";
  while (!enough(views)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      const data = event.split("\n").find((l) => l.startsWith("data: "));
      if (data) views.push(JSON.parse(data.slice(6)));
    }
  }
  return { views, cancel: () => reader.cancel() };
}

Deno.test("the event stream follows a detached Slurm sweep to its end", async () => {
  const results = tempDir("serve-follow-");
  const dir = writeSlurmSweep(results, 2);
  writeTrialRun(results, 1);
  writeTrialRun(results, 2);
  const slurm = new FakeSlurm();
  // Slurm moves one step per poll: 1 runs, 1 ends and 2 runs, 2 ends.
  slurm.onPoll = (call) => {
    if (call === 2) slurm.tasks.set("77_1", "RUNNING");
    if (call === 4) slurm.tasks.set("77_1", ended("COMPLETED", 0));
    if (call === 4) slurm.tasks.set("77_2", "RUNNING");
    if (call === 6) slurm.tasks.set("77_2", ended("COMPLETED", 0));
  };
  const followers = new SlurmFollowers({ poll: slurm.poll, intervalMs: 100 });
  const handler = createHandler(createContext(results, tempDir("serve-follow-cache-"), followers));
  try {
    const url = `http://127.0.0.1/api/sweeps/${EXPERIMENT}/${SWEEP_ID}`;
    const { views } = await readEvents(await handler(new Request(`${url}/events`)));
    const last = views.at(-1) as { running: boolean; completed: number; trials: unknown[] };
    assert.equal(last.running, false, "the stream ended with the sweep");
    assert.equal(last.completed, 2);
    assert.deepEqual(statuses(dir), ["ran", "ran"]);
    const seen = views.flatMap((v) => (v.trials as Array<{ status: string }>).map((t) => t.status));
    assert.ok(seen.includes("running"), `a trial was shown running: ${seen}`);
    assert.equal(followers.state(dir), undefined, "the poller stopped with the sweep");
    const api = await (await handler(new Request(url))).json();
    assert.deepEqual(api.trials.map((t: { status: string }) => t.status), ["ran", "ran"]);
  } finally {
    await followers.close();
  }
});

Deno.test("without Slurm's commands on PATH the page says it cannot follow the job", async () => {
  const results = tempDir("serve-follow-");
  writeSlurmSweep(results, 2);
  const path = Deno.env.get("PATH");
  Deno.env.set("PATH", tempDir("empty-path-"));
  const followers = new SlurmFollowers({ intervalMs: 1, retryMs: 50 });
  const handler = createHandler(createContext(results, tempDir("serve-follow-cache-"), followers));
  try {
    const url = `/api/sweeps/${EXPERIMENT}/${SWEEP_ID}`;
    const response = await handler(new Request(`http://127.0.0.1${url}/events`));
    const { views, cancel } = await readEvents(
      response,
      (v) => (v.at(-1)?.follow as { state?: string })?.state === "cannot follow",
    );
    const view = views.at(-1) as {
      running: boolean;
      follow: { message: string };
      trials: Array<{ status: string }>;
    };
    assert.match(view.follow.message, /squeue is not on PATH/);
    assert.equal(view.running, true);
    assert.deepEqual(view.trials.map((t) => t.status), ["submitted", "submitted"]);
    // While the stream is open, the page (as it reloads) says so too.
    const page = await handler(
      new Request(`http://127.0.0.1/experiments/${EXPERIMENT}/sweeps/${SWEEP_ID}`),
    );
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /cannot follow Slurm job 77: squeue is not on PATH/);
    assert.match(html, /Showing the last recorded state/);
    assert.match(html, /0 of 2 trials done/);
    await cancel();
  } finally {
    Deno.env.set("PATH", path!);
    await followers.close();
  }
});
