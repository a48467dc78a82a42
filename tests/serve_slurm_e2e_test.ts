/**
 * The results browser follows a detached Slurm sweep on the real one-node cluster
 * (scripts/slurm_cluster.sh): its event stream and API show the trials go to done with no
 * `sweep status` running, and serve and `sweep status --wait` following one sweep at once
 * leave a complete record. Skipped, saying why, when sbatch is absent.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { serveResults } from "../runners/serve/serve_command.ts";
import { readSweepRecord } from "../runners/sweep/sweep_record_merge.ts";
import { runCli } from "./helpers/cli.ts";
import { slurmSkipReason } from "./helpers/slurm.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const toppop = join(import.meta.dirname!, "..", "experiments", "toppop.yaml");
const skip = await slurmSkipReason();
const skipped = skip ? ` (skipped: ${skip})` : "";
if (skip) console.warn(`skipping the results browser's Slurm tests: ${skip}`);
/** A sweep of three tiny Top-Pop trials that has not ended in this time is stuck. */
const STUCK_MS = 240_000;

interface View {
  running: boolean;
  completed: number;
  total: number;
  slurm_job: string | null;
  follow?: { state: string; message?: string };
  trials: Array<{ status: string; run_id: string | null }>;
}

/** Submits the sweep with --detach; its folder under results/toppop/.sweeps/. */
async function submitDetached(work: string, values: string): Promise<string> {
  const results = join(work, "results");
  const { code, stderr } = await runCli([
    "sweep",
    toppop,
    "--set",
    "data.scale=tiny",
    "--set",
    `data.clean.min_user_ratings=${values}`,
    "--launcher",
    "slurm",
    "--detach",
    "--cache-dir",
    join(work, "cache"),
    "--results-dir",
    results,
  ], { config: true });
  assert.equal(code, 0, stderr);
  const sweeps = join(results, "toppop", ".sweeps");
  const [id] = [...Deno.readDirSync(sweeps)].map((e) => e.name);
  return join(sweeps, id);
}

/** serve on a free port over `results`; the sweep's event stream, read to its end. */
async function watchToTheEnd(results: string, sweepDir: string): Promise<View[]> {
  const abort = new AbortController();
  const listening = Promise.withResolvers<number>();
  const server = serveResults({
    resultsDir: results,
    cacheDir: tempDir("serve-slurm-cache-"),
    port: 0,
    signal: abort.signal,
    onListen: ({ port }) => listening.resolve(port),
  });
  try {
    const base = `http://127.0.0.1:${await listening.promise}/api/sweeps/toppop/` +
      sweepDir.split("/").at(-1);
    const response = await fetch(`${base}/events`, { signal: AbortSignal.timeout(STUCK_MS) });
    const views: View[] = [];
    let text = "";
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      for (let end; (end = text.indexOf("\n\n")) >= 0; text = text.slice(end + 2)) {
        const data = text.slice(0, end).split("\n").find((l) => l.startsWith("data: "));
        if (data) views.push(JSON.parse(data.slice(6)));
      }
    }
    // The API agrees with the stream's last word.
    const api: View = await (await fetch(base)).json();
    assert.deepEqual(api.trials.map((t) => t.status), views.at(-1)!.trials.map((t) => t.status));
    return views;
  } finally {
    abort.abort();
    await server.finished;
  }
}

Deno.test({
  name: "serve follows a detached Slurm sweep to its end without `sweep status`" + skipped,
  ignore: skip !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    await t.step("the event stream shows the trials go to done", async () => {
      const work = tempDir("serve-slurm-e2e-");
      const sweepDir = await submitDetached(work, "1,2,3");
      assert.deepEqual(readSweepRecord(sweepDir).trials.map((r) => r.status), [
        "submitted",
        "submitted",
        "submitted",
      ]);
      const views = await watchToTheEnd(join(work, "results"), sweepDir);
      const first = views[0];
      const last = views.at(-1)!;
      assert.equal(first.running, true);
      assert.match(first.slurm_job ?? "", /^\d+$/);
      assert.ok(views.some((v) => v.follow?.state === "following"), "the server asked Slurm");
      assert.ok(views.every((v) => v.follow?.state !== "cannot follow"), JSON.stringify(views));
      assert.equal(last.running, false);
      assert.equal(last.completed, 3);
      assert.deepEqual(last.trials.map((r) => r.status), ["ran", "ran", "ran"]);
      assert.ok(last.trials.every((r) => r.run_id !== null), "each trial links its run");
      // Recorded into sweep.json, as `sweep status` records it.
      for (const trial of readSweepRecord(sweepDir).trials) {
        assert.equal(trial.status, "ran");
        assert.equal(trial.slurm_state, "COMPLETED");
        assert.ok(Deno.statSync(trial.run_dir!).isDirectory);
      }
    });

    await t.step("serve and `sweep status --wait` following one sweep at once", async () => {
      const work = tempDir("serve-slurm-e2e-");
      const sweepDir = await submitDetached(work, "4,5");
      const [views, status] = await Promise.all([
        watchToTheEnd(join(work, "results"), sweepDir),
        runCli(["sweep", "status", sweepDir, "--wait"], {
          config: true,
          env: { RECSYS_SLURM_POLL_MS: "200" },
        }),
      ]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /2 done, 0 failed, 0 cancelled, 0 pending, 0 running/);
      assert.deepEqual(views.at(-1)!.trials.map((r) => r.status), ["ran", "ran"]);
      const record = readSweepRecord(sweepDir);
      assert.deepEqual(record.trials.map((r) => [r.status, r.slurm_state]), [
        ["ran", "COMPLETED"],
        ["ran", "COMPLETED"],
      ]);
      assert.deepEqual([...Deno.readDirSync(join(sweepDir, "locks"))], [], "no lease left");
    });
  },
});
