/**
 * A real sweep through Slurm (the one-node cluster of scripts/slurm_cluster.sh): 4 trials as
 * one job array, one failing at run time, one cancelled with scancel, followed by
 * `sweep status --wait`; a resubmission runs only the two not done; upstream steps are
 * computed once across the array's tasks. Skipped, saying why, when sbatch is absent.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "./helpers/temp_dir.ts";
import { runCli } from "./helpers/cli.ts";
import { slurmSkipReason } from "./helpers/slurm.ts";

const root = join(import.meta.dirname!, "..");
const toppop = join(root, "experiments", "toppop.yaml");
const skip = await slurmSkipReason();
// In the test's name too: `deno test --quiet` does not show a module's console output.
const skipped = skip ? ` (skipped: ${skip})` : "";
if (skip) console.warn(`skipping the Slurm sweep tests: ${skip}`);

/** The command line, with Slurm polled every 200 ms. */
const cli_ = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { config: true, env: { RECSYS_SLURM_POLL_MS: "200", ...env } });

interface Record_ {
  launcher: { type: string; job_id: string; script: string; sbatch_command: string };
  trials: Array<{ trial: number; status: string; run_dir: string | null; log: string | null }>;
}

Deno.test({
  name: "slurm sweep: a job array with a failed and a cancelled trial, status, then resume" +
    skipped,
  ignore: skip !== undefined,
  fn: async (t) => {
    const work = tempDir("slurm-sweep-e2e-");
    const dirs = ["--cache-dir", join(work, "cache"), "--results-dir", join(work, "results")];
    // min_user_ratings=100000 leaves no users: trial 1 fails in its clean step.
    const sweepArgs = [
      "sweep",
      toppop,
      "--set",
      "data.scale=tiny",
      "--set",
      "data.clean.min_user_ratings=100000,1,2,3",
      "--launcher",
      "slurm",
      "--array-parallelism",
      "2",
      ...dirs,
    ];
    const sweeps = join(work, "results", "toppop", ".sweeps");
    const folders = () => [...Deno.readDirSync(sweeps)].map((e) => join(sweeps, e.name)).sort();
    const record = (dir: string): Record_ =>
      JSON.parse(Deno.readTextFileSync(join(dir, "sweep.json")));
    let first = "";

    await t.step(
      "--detach submits one array and returns; scancel stops the 4th trial",
      async () => {
        const { code, stdout, stderr } = await cli_([...sweepArgs, "--detach"]);
        assert.equal(code, 0, stderr);
        [first] = folders();
        const submitted = record(first);
        const job = submitted.launcher.job_id;
        // Trial 4 waits behind the throttle (%2): cancel it before it starts.
        const scancel = await new Deno.Command("scancel", { args: [`${job}_4`] }).output();
        assert.ok(scancel.success, new TextDecoder().decode(scancel.stderr));
        assert.match(
          stdout,
          new RegExp(`submitted as Slurm job ${job}; follow it with .*sweep status`),
        );
        assert.match(
          stderr,
          /warning: --cache-dir .*under \/tmp.*other nodes of the cluster will not see it/,
        );
        assert.deepEqual(submitted.trials.map((r) => r.status), Array(4).fill("submitted"));
        const script = Deno.readTextFileSync(join(first, "job.sh"));
        assert.match(script, /^#SBATCH --array=1-4%2$/m);
        assert.match(script, new RegExp(`^#SBATCH --output=${first}/trial-%a\\.log$`, "m"));
        assert.equal(
          Deno.readTextFileSync(join(first, "sbatch_command.txt")),
          `sbatch --parsable ${join(first, "job.sh")}\n`,
        );
      },
    );

    await t.step("sweep status --wait follows the job to its end and records it", async () => {
      const { code, stdout, stderr } = await cli_(["sweep", "status", first, "--wait"]);
      assert.equal(code, 1, stderr);
      assert.match(
        stdout,
        /^1\s+data\.clean\.min_user_ratings=100000\s+failed\s+FAILED\s+2\s+\S*trial-1\.log$/m,
      );
      assert.match(stdout, /^4\s+data\.clean\.min_user_ratings=3\s+cancelled\s+CANCELLED\s/m);
      assert.match(stdout, /2 done, 1 failed, 1 cancelled, 0 pending, 0 running/);
      const ended = record(first);
      assert.deepEqual(ended.trials.map((r) => r.status), ["failed", "ran", "ran", "cancelled"]);
      assert.ok(
        ended.trials.slice(1, 3).every((r) => r.run_dir && Deno.statSync(r.run_dir).isDirectory),
      );
      assert.match(Deno.readTextFileSync(join(first, "trial-1.log")), /error: /);
    });

    await t.step("the upstream steps were computed once across the array's tasks", () => {
      const logs = [1, 2, 3].map((i) => Deno.readTextFileSync(join(first, `trial-${i}.log`)));
      for (const step of ["dataset", "load"]) {
        const computed = new RegExp(`^\\[\\d+/\\d+\\] ${step}\\s+\\d+\\.\\d+s$`, "m");
        const count = logs.filter((log) => computed.test(log)).length;
        assert.equal(count, 1, `${step} computed in ${count} tasks`);
      }
      // Each min_user_ratings has its own clean step, so each task computes one (trial 1's
      // leaves no users and fails in the next step).
      const cleans = logs.filter((log) => /^\[\d+\/\d+\] clean\s+\d+\.\d+s$/m.test(log)).length;
      assert.equal(cleans, 3, "each trial cleans its own way");
    });

    await t.step("resubmitting runs only the failed and the cancelled trial", async () => {
      const { code, stdout, stderr } = await cli_(sweepArgs);
      assert.equal(code, 1, stderr);
      assert.match(stderr, /sweep of 4 trials, 2 done already: 2 to run as a Slurm job array/);
      const second = folders().find((f) => f !== first)!;
      assert.match(Deno.readTextFileSync(join(second, "job.sh")), /^#SBATCH --array=1,4%2$/m);
      assert.match(stdout, /min_user_ratings=1\s+done/);
      assert.match(stdout, /min_user_ratings=2\s+done/);
      assert.match(stdout, /min_user_ratings=3\s+ran/);
      assert.match(stdout, /min_user_ratings=100000\s+failed/);
      assert.match(
        stdout,
        /1 of 4 trials failed:\n {2}trial 1 .*: Slurm state FAILED, exit code 2; log: \S*trial-1\.log/,
      );
      const resumed = Deno.readTextFileSync(join(second, "trial-4.log"));
      assert.match(resumed, /^\[\d+\/\d+\] dataset\s+cached$/m, "the cache is shared");
      assert.deepEqual(record(second).trials.map((r) => r.status), [
        "failed",
        "done",
        "done",
        "ran",
      ]);
    });
  },
});
