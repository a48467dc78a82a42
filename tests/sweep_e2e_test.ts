/**
 * `sweep` end to end on the tiny embedded dataset, through the CLI: trials in parallel
 * worker processes sharing one cache, shared upstream steps computed once, a re-run that
 * runs nothing, and a failing trial reported with its log and exit code 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";

const root = join(import.meta.dirname!, "..");
const toppop = join(root, "experiments", "toppop.yaml");
const work = Deno.makeTempDirSync({ prefix: "sweep-e2e-" });
const cacheDir = join(work, "cache");
const resultsDir = join(work, "results");
const experimentDir = join(resultsDir, "toppop");

function sweep(...args: string[]) {
  return runCli(
    ["sweep", toppop, "--set", "data.scale=tiny", ...args]
      .concat(["--cache-dir", cacheDir, "--results-dir", resultsDir]),
    { config: true },
  );
}

interface SweepRecord {
  started: string;
  trials: Array<{ trial: number; status: string; run_dir: string | null; log: string | null }>;
}

/** Every sweep folder's sweep.json, oldest first by start time (ids may share a second). */
function sweepRecords(): SweepRecord[] {
  const dir = join(experimentDir, ".sweeps");
  const records: SweepRecord[] = [...Deno.readDirSync(dir)].map((e) =>
    JSON.parse(Deno.readTextFileSync(join(dir, e.name, "sweep.json")))
  );
  return records.sort((a, b) => a.started.localeCompare(b.started));
}

const runFolders = () =>
  [...Deno.readDirSync(experimentDir)].map((e) => e.name).filter((n) => !n.startsWith("."));

Deno.test("sweep: parallel trials share upstream steps, a re-run runs nothing, failures are reported", async (t) => {
  await t.step("three trials with --jobs 2 each write a run folder", async () => {
    const { code, stdout, stderr } = await sweep("--set", "model.k=5,10,20", "--jobs", "2");
    assert.equal(code, 0, stderr);
    const [record] = sweepRecords();
    assert.deepEqual(record.trials.map((r) => r.status), ["ran", "ran", "ran"]);
    assert.equal(runFolders().length, 3);
    for (const k of [5, 10, 20]) {
      assert.match(stdout, new RegExp(`model\\.k=${k}\\s+ran`));
      assert.match(stderr, new RegExp(`trial \\d/3 started\\s+model\\.k=${k}`));
    }
    // The upstream steps are the same for every k: from an empty cache, exactly one trial
    // computes each (two at once would mean the per-step locks failed).
    const runs = record.trials.map((r) =>
      JSON.parse(Deno.readTextFileSync(join(r.run_dir!, "run.json")))
    );
    for (const step of ["dataset", "load", "clean", "split"]) {
      const computed = runs.filter((run) =>
        run.steps.find((s: { name: string }) => s.name === step).status === "computed"
      );
      assert.equal(computed.length, 1, `${step} computed in ${computed.length} trials`);
    }
    const ks = runs.map((run) => run.steps.find((s: { name: string }) => s.name === "recommend"));
    assert.ok(ks.every((s) => s.status === "computed"), "each k recommends its own lists");
  });

  await t.step("the same sweep again runs nothing: every trial is done", async () => {
    const { code, stdout, stderr } = await sweep("--set", "model.k=5,10,20", "--jobs", "2");
    assert.equal(code, 0, stderr);
    assert.equal(runFolders().length, 3);
    assert.equal(sweepRecords().length, 1, "no sweep folder when nothing runs");
    assert.equal(stdout.match(/\bdone\b/g)?.length, 3, stdout);
    assert.match(stderr, /3 done already: 0 to run/);
  });

  await t.step("after a code change, a finished trial is no longer done", async () => {
    // What a run made by other code leaves: the same spec, another plan fingerprint.
    const [record] = sweepRecords();
    const runJson = join(record.trials[0].run_dir!, "run.json");
    const run = JSON.parse(Deno.readTextFileSync(runJson));
    Deno.writeTextFileSync(runJson, JSON.stringify({ ...run, plan_fingerprint: "0".repeat(64) }));
    const { code, stdout, stderr } = await sweep("--set", "model.k=5,10,20", "--jobs", "2");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /model\.k=5\s+ran/);
    assert.equal(stdout.match(/\bdone\b/g)?.length, 2, stdout);
    // Put the original back so the steps below count folders as before.
    const rerun = sweepRecords().at(-1)!.trials[0].run_dir!;
    Deno.removeSync(rerun, { recursive: true });
    Deno.writeTextFileSync(runJson, JSON.stringify(run));
  });

  await t.step("a trial that fails at run time: summary with its log, exit 1", async () => {
    // min_user_ratings=1 is the default: that trial's spec equals the k=10 trial's, so it is
    // done; 100000 leaves no users and fails in a step.
    const { code, stdout, stderr } = await sweep("--set", "data.clean.min_user_ratings=1,100000");
    assert.equal(code, 1, stderr);
    assert.match(stdout, /data\.clean\.min_user_ratings=1\s+done/);
    assert.match(stdout, /data\.clean\.min_user_ratings=100000\s+failed/);
    assert.match(stdout, /1 of 2 trials failed:/);
    const record = sweepRecords().at(-1)!;
    const log = record.trials[1].log!;
    assert.match(stdout, new RegExp(`log: .*${log.split("/").slice(-3).join("/")}`));
    assert.match(Deno.readTextFileSync(log), /error: /, "the log holds the worker's error");
    assert.equal(runFolders().length, 3, "a failed trial leaves no run folder");
  });

  await t.step("--fail-fast launches nothing after the first failure", async () => {
    const { code, stdout } = await sweep(
      "--set",
      "data.clean.min_user_ratings=100000,90000",
      "--fail-fast",
      "--jobs",
      "1",
    );
    assert.equal(code, 1);
    assert.deepEqual(sweepRecords().at(-1)!.trials.map((r) => r.status), ["failed", "not run"]);
    assert.match(stdout, /1 trial\(s\) not run \(--fail-fast\)/);
  });
  Deno.removeSync(work, { recursive: true });
});
