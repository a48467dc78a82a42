/**
 * `--launcher slurm` refusing bad input before anything is submitted or written (no sbatch,
 * an unknown partition, a job Slurm rejects), and `run --launcher slurm` end to end.
 * The tests that need a cluster skip, saying why, when sbatch is absent.
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
if (skip) console.warn(`skipping the Slurm input tests that need a cluster: ${skip}`);

/** The command line, with Slurm polled every 200 ms. */
const recsys = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { config: true, env: { RECSYS_SLURM_POLL_MS: "200", ...env } });

function sweepArgs(work: string, ...extra: string[]): string[] {
  return [
    "sweep",
    toppop,
    "--set",
    "data.scale=tiny",
    "--set",
    "model.k=5,10",
    "--launcher",
    "slurm",
    "--cache-dir",
    join(work, "cache"),
    "--results-dir",
    join(work, "results"),
    ...extra,
  ];
}

const nothingWritten = (work: string) => {
  assert.throws(() => Deno.statSync(join(work, "results", "toppop")), Deno.errors.NotFound);
};

Deno.test("--launcher slurm without sbatch on PATH: exit 2, says so, writes nothing", async () => {
  const work = tempDir("slurm-input-");
  const { code, stderr } = await recsys(sweepArgs(work), { PATH: join(work, "empty-bin") });
  assert.equal(code, 2, stderr);
  assert.match(stderr, /error: --launcher: sbatch is not on PATH/);
  nothingWritten(work);
  const run = await recsys(
    ["run", toppop, "--set", "data.scale=tiny", "--launcher", "slurm"],
    { PATH: join(work, "empty-bin") },
  );
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /sbatch is not on PATH/);
});

Deno.test("Slurm options without --launcher slurm are refused (exit 2)", async () => {
  const work = tempDir("slurm-input-");
  const args = sweepArgs(work, "--partition", "debug").filter((a) =>
    a !== "--launcher" && a !== "slurm"
  );
  const { code, stderr } = await recsys(args);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--partition: --partition needs --launcher slurm/);
});

Deno.test({
  name: "an unknown partition and a job Slurm rejects: exit 2, Slurm quoted, nothing submitted" +
    skipped,
  ignore: skip !== undefined,
  fn: async () => {
    const work = tempDir("slurm-input-");
    const partition = await recsys(sweepArgs(work, "--partition", "no-such-partition"));
    assert.equal(partition.code, 2, partition.stderr);
    assert.match(
      partition.stderr,
      /--partition: no Slurm partition 'no-such-partition' on this cluster; known: \S+/,
    );
    nothingWritten(work);
    // The one-node cluster has no GPUs: sbatch refuses the whole array.
    const rejected = await recsys(sweepArgs(work, "--gpus", "1"));
    assert.equal(rejected.code, 2, rejected.stderr);
    assert.match(rejected.stderr, /error: sbatch: Slurm rejected the job: sbatch: error: .*gres/i);
    assert.deepEqual(
      [...Deno.readDirSync(join(work, "results", "toppop", ".sweeps"))],
      [],
      "no sweep folder is left behind",
    );
  },
});

Deno.test({
  name: "run --launcher slurm: one job through `run`, its metric table printed, files kept" +
    skipped,
  ignore: skip !== undefined,
  fn: async () => {
    const work = tempDir("slurm-run-");
    const { code, stdout, stderr } = await recsys([
      "run",
      toppop,
      "--set",
      "data.scale=tiny",
      "--launcher",
      "slurm",
      "--cache-dir",
      join(work, "cache"),
      "--results-dir",
      join(work, "results"),
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /submitted Slurm job \d+; log: /);
    assert.match(stdout, /^ndcg@10\s/m);
    const runDir = stdout.match(/^run folder: (.+)$/m)![1];
    assert.ok(Deno.statSync(join(runDir, "run.json")).isFile);
    const [job] = [...Deno.readDirSync(join(work, "results", "toppop", ".slurm"))];
    const folder = join(work, "results", "toppop", ".slurm", job.name);
    const names = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
    assert.deepEqual(names, ["job.sh", "run.log", "run.out", "sbatch_command.txt"]);
    assert.match(Deno.readTextFileSync(join(folder, "run.log")), /\[\d+\/\d+\] dataset/);
    assert.doesNotMatch(Deno.readTextFileSync(join(folder, "job.sh")), /--array/);
  },
});
