/**
 * The Slurm launcher against local processes, on the one-node cluster of
 * scripts/slurm_cluster.sh (issue 12):
 *  1. overhead per trial: 8 Top-Pop trials (tiny data, upstream warm, each run well under a
 *     second) one at a time, through Slurm (--array-parallelism 1) and locally (--jobs 1);
 *     (Slurm wall - local wall) / 8 is what a trial pays for submit -> start -> recorded;
 *  2. a 16-trial SVD++ sweep (lr grid, factors 20, epochs 3, upstream warm) through Slurm
 *     (2 CPUs, one per task) against `--jobs 2` locally. Target: within 15% of local.
 * The machine is shared: the phases alternate, local first in odd rounds and Slurm first in
 * even ones (--rounds 2: local, Slurm, Slurm, local), so a load that rises or falls over the
 * run weighs on both alike; each phase prints the load average and the machine's busy cores.
 *
 *   deno task bench slurm   (= deno run -A bench/slurm.ts [--rounds 2] [--epochs 3])
 */
import { join } from "node:path";
import { cpus } from "node:os";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import type { Launcher } from "../runners/slurm/launcher_options.ts";
import { runSweep } from "../runners/sweep/run_sweep.ts";
import { slurmSkipReason } from "../tests/helpers/slurm.ts";

const root = join(import.meta.dirname!, "..");
const option = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const rounds = Number(option("--rounds", "2"));
const skip = await slurmSkipReason();
if (skip) {
  console.log(`skipped: ${skip}`);
  Deno.exit(0);
}
const work = Deno.makeTempDirSync({ prefix: "bench-slurm-" });

function cpuTimes(): { busy: number; total: number } {
  const fields = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return {
    busy: fields.reduce((a, b) => a + b, 0) - idle,
    total: fields.reduce((a, b) => a + b, 0),
  };
}
const load1 = () => Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);

interface Phase {
  label: string;
  seconds: number;
  loadBefore: number;
  loadMean: number;
  /** cores busy machine-wide (ours and everyone else's) */
  coresBusy: number;
}

async function timed(
  label: string,
  spec: string,
  sets: string[],
  launcher: Launcher,
  jobs: number,
  cacheDir: string,
): Promise<Phase> {
  const loadBefore = load1();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(load1()), 2000);
  const cpu0 = cpuTimes();
  const started = performance.now();
  const outcome = await runSweep(spec, sets, {
    jobs,
    launcher,
    cacheDir,
    resultsDir: join(work, `results-${label}`),
    quiet: true,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const cpu1 = cpuTimes();
  const bad = outcome.results.find((r) => r.status !== "ran");
  if (bad) throw new Error(`${label}: trial ${bad.trial.index} ${bad.status}; log ${bad.logFile}`);
  return {
    label,
    seconds,
    loadBefore,
    loadMean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : load1(),
    coresBusy: ((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * cpus().length,
  };
}

async function warm(spec: string, sets: string[], cacheDir: string) {
  const { spec: loaded } = await loadSpec(spec, sets.map(parseOverride));
  await runExperiment(loaded, { cacheDir, resultsDir: join(work, "results-warm"), quiet: true });
}
const copy = (from: string, to: string) =>
  new Deno.Command("cp", { args: ["-a", from, to] }).output();
const slurm = (parallelism?: number): Launcher => ({
  type: "slurm",
  slurm: { sbatchArgs: [], ...(parallelism ? { arrayParallelism: parallelism } : {}) },
});
const row = (p: Phase) =>
  `| ${p.label} | ${p.seconds.toFixed(1)} s | ${p.coresBusy.toFixed(2)} | ` +
  `${p.loadBefore.toFixed(2)} / ${p.loadMean.toFixed(2)} |`;
const header = "| phase | wall time | cores busy (machine) | load avg before / during |\n" +
  "|---|---:|---:|---:|";

console.log(`cores: ${cpus().length}; load average: ${load1()}; rounds: ${rounds}`);

// 1. Overhead per trial.
const toppop = join(root, "experiments", "toppop.yaml");
const tiny = ["data.scale=tiny"];
const ks = "model.k=3,4,5,6,7,8,9,11";
await warm(toppop, [...tiny, "model.k=10"], join(work, "cache-top"));
const overhead: Phase[] = [];
const order = (round: number) =>
  round % 2 ? ["local", "slurm"] as const : ["slurm", "local"] as const;
for (let round = 1; round <= rounds; round++) {
  for (const mode of order(round)) {
    const cache = join(work, `cache-top-${mode}-${round}`);
    await copy(join(work, "cache-top"), cache);
    overhead.push(
      await timed(
        `toppop-${mode}-${round}`,
        toppop,
        [...tiny, ks],
        mode === "slurm" ? slurm(1) : { type: "local" },
        1,
        cache,
      ),
    );
  }
}
console.log("\n8 Top-Pop trials (tiny), one at a time\n");
console.log(header);
for (const p of overhead) console.log(row(p));
const mean = (phases: Phase[], mode: string) => {
  const picked = phases.filter((p) => p.label.includes(`-${mode}-`));
  return picked.reduce((a, p) => a + p.seconds, 0) / picked.length;
};
const perTrial = (mean(overhead, "slurm") - mean(overhead, "local")) / 8;
console.log(
  `\noverhead per trial (submit -> start -> recorded), Slurm minus local: ` +
    `${perTrial.toFixed(2)} s (poll interval ${Deno.env.get("RECSYS_SLURM_POLL_MS") ?? 500} ms)`,
);

// 2. 16 SVD++ trials.
const svdpp = join(root, "experiments", "svdpp.yaml");
const fixed = ["model.factors=20", `model.epochs=${option("--epochs", "3")}`];
const lrs = "model.lr=0.001,0.0015,0.002,0.0025,0.003,0.0035,0.0045,0.005,0.006,0.007,0.008," +
  "0.01,0.012,0.015,0.018,0.02";
await warm(svdpp, [...fixed, "model.lr=0.004"], join(work, "cache-svdpp"));
const phases: Phase[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const mode of order(round)) {
    const cache = join(work, `cache-svdpp-${mode}-${round}`);
    await copy(join(work, "cache-svdpp"), cache);
    phases.push(
      await timed(
        `svdpp-${mode}-${round}`,
        svdpp,
        [...fixed, lrs],
        mode === "slurm" ? slurm() : { type: "local" },
        2,
        cache,
      ),
    );
  }
}
console.log("\n16 SVD++ trials (factors 20, epochs 3): --jobs 2 locally vs Slurm (2 CPUs)\n");
console.log(header);
for (const p of phases) console.log(row(p));
const ratio = mean(phases, "slurm") / mean(phases, "local");
console.log(`\nSlurm / local wall time: ${(ratio * 100).toFixed(0)}% (target <= 115%)`);
// slurmstepd starts each task in a session of its own; with autogroup, each session gets its
// own CPU share. On a busy machine that favours Slurm: the ratio is fair only when idle.
const autogroup = (() => {
  try {
    return Deno.readTextFileSync("/proc/sys/kernel/sched_autogroup_enabled").trim() === "1";
  } catch {
    return false;
  }
})();
if (autogroup) {
  console.log(
    "note: kernel.sched_autogroup_enabled=1: each Slurm task is a session with its own CPU " +
      "share, the local trials share one; under load this favours Slurm",
  );
}
Deno.removeSync(work, { recursive: true });
