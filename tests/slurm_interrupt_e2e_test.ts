/**
 * Ctrl-C while a Slurm sweep is followed, at a real terminal (util-linux `script` gives the
 * command a pseudo-terminal, so ^C is a SIGINT and confirm() reads the answer): "y" cancels
 * the array with scancel, "n" detaches and the job runs on to the end. Skipped, saying why,
 * without a Slurm cluster or `script`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { denoRunArgs } from "../runners/paths.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { atTerminal, hasScript } from "./helpers/pty.ts";
import { slurmSkipReason } from "./helpers/slurm.ts";

const root = join(import.meta.dirname!, "..");
const cli = join(root, "runners", "cli.ts");

const skip = (await slurmSkipReason()) ??
  (await hasScript() ? undefined : "util-linux `script` (a pseudo-terminal) is not installed");
const skipped = skip ? ` (skipped: ${skip})` : "";

function sweepRecord(resultsDir: string) {
  const sweeps = join(resultsDir, "toppop", ".sweeps");
  const [folder] = [...Deno.readDirSync(sweeps)].map((e) => join(sweeps, e.name));
  return JSON.parse(Deno.readTextFileSync(join(folder, "sweep.json"))) as {
    launcher: { job_id: string };
    trials: Array<{ status: string }>;
  };
}

async function jobsInQueue(jobId: string): Promise<string> {
  const out = await new Deno.Command("squeue", { args: ["-h", "-j", jobId] }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

for (const answer of ["y", "n"]) {
  Deno.test({
    name: `slurm sweep: Ctrl-C at a terminal, answer "${answer}"` + skipped,
    ignore: skip !== undefined,
    fn: async () => {
      const work = tempDir("slurm-interrupt-e2e-");
      const results = join(work, "results");
      const sweep = atTerminal([
        Deno.execPath(),
        ...denoRunArgs,
        cli,
        "sweep",
        join(root, "experiments", "toppop.yaml"),
        "--set",
        "data.scale=tiny",
        "--set",
        "model.k=1,2,3,4",
        "--launcher",
        "slurm",
        "--array-parallelism",
        "1",
        "--cache-dir",
        join(work, "cache"),
        "--results-dir",
        results,
      ], { NO_COLOR: "1", RECSYS_SLURM_POLL_MS: "200" });
      const [, jobId] = await sweep.waitFor(/submitted Slurm job (\d+)/);
      await sweep.type("\x03");
      await sweep.waitFor(new RegExp(`cancel Slurm job ${jobId} .*\\?`));
      await sweep.type(`${answer}\n`);
      const { code, output } = await sweep.finish();
      if (answer === "y") {
        assert.match(output, new RegExp(`cancelling job ${jobId}`));
        assert.equal(code, 1, output);
        assert.equal(await jobsInQueue(jobId), "", "the array is gone from the queue");
        const statuses = sweepRecord(results).trials.map((t) => t.status);
        assert.ok(statuses.includes("cancelled"), statuses.join(", ") + "\n" + output);
      } else {
        assert.equal(code, 0, output);
        assert.match(output, new RegExp(`job ${jobId} runs on without this command`));
        // The job was left alone: following it to the end finds every trial done.
        const folder = [...Deno.readDirSync(join(results, "toppop", ".sweeps"))][0].name;
        const waited = await new Deno.Command(Deno.execPath(), {
          args: [
            ...denoRunArgs,
            cli,
            "sweep",
            "status",
            join(results, "toppop", ".sweeps", folder),
            "--wait",
          ],
          env: { RECSYS_SLURM_POLL_MS: "200", NO_COLOR: "1" },
        }).output();
        const text = new TextDecoder().decode(waited.stdout);
        assert.equal(waited.code, 0, text + new TextDecoder().decode(waited.stderr));
        assert.match(text, /4 done, 0 failed, 0 cancelled, 0 pending, 0 running/);
      }
    },
  });
}
