/**
 * A sweep of 8 SVD++ trials (lr grid) at the default embedded scale, sequential
 * (--jobs 1) against --jobs 2, both from the same warm upstream cache (dataset, load,
 * clean and split computed once beforehand and copied), so only the trials are timed.
 * Target: --jobs 2 under 60% of the sequential wall time on 2 cores. The machine is
 * shared, so the load average and the machine-wide CPU use during each phase are reported.
 *
 *   deno run -A bench/sweep.ts [--epochs 3] [--factors 20]
 */
import { join } from "node:path";
import { cpus } from "node:os";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { runSweep, type SweepOutcome } from "../runners/sweep/run_sweep.ts";

const root = join(import.meta.dirname!, "..");
const spec = join(root, "experiments", "svdpp.yaml");
const option = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const fixed = [
  `model.factors=${option("--factors", "20")}`,
  `model.epochs=${option("--epochs", "3")}`,
];
const lrGrid = "model.lr=0.001,0.002,0.003,0.005,0.007,0.01,0.015,0.02";
const work = Deno.makeTempDirSync({ prefix: "bench-sweep-" });

/** Machine-wide busy and total CPU time (jiffies) from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const fields = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
/** CPU seconds of this process's finished children (the trial workers), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return (fields[13] + fields[14]) / clockTicks; // cutime + cstime
}
const clockTicks = Number(
  new TextDecoder().decode(new Deno.Command("getconf", { args: ["CLK_TCK"] }).outputSync().stdout),
) || 100;
const load1 = () => Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);

interface Phase {
  label: string;
  seconds: number;
  outcome: SweepOutcome;
  loadBefore: number;
  loadMean: number;
  cpuBusy: number;
  /** CPU seconds the trial processes used */
  trialCpu: number;
}

async function timedSweep(label: string, jobs: number, cacheDir: string): Promise<Phase> {
  const loadBefore = load1();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(load1()), 2000);
  const cpu0 = cpuTimes();
  const children0 = childCpuSeconds();
  const started = performance.now();
  const outcome = await runSweep(spec, [...fixed, lrGrid], {
    jobs,
    cacheDir,
    resultsDir: join(work, `results-${label}`),
    quiet: true,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const cpu1 = cpuTimes();
  const trialCpu = childCpuSeconds() - children0;
  if (outcome.failed || outcome.results.some((r) => r.status !== "ran")) {
    const failed = outcome.results.find((r) => r.logFile && r.status !== "ran");
    const log = failed
      ? Deno.readTextFileSync(failed.logFile!).split("\n").slice(-15).join("\n")
      : "";
    throw new Error(`${label}: ${outcome.results.map((r) => r.status).join(", ")}\n${log}`);
  }
  return {
    label,
    seconds,
    outcome,
    loadBefore,
    loadMean: samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : load1(),
    cpuBusy: (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total),
    trialCpu,
  };
}

console.log(`cores: ${cpus().length}; load average before warm-up: ${load1()}`);
// Warm the shared upstream steps with a run whose own train (lr 0.004) is not in the grid.
const warmStart = performance.now();
const { spec: warmSpec } = await loadSpec(spec, [...fixed, "model.lr=0.004"].map(parseOverride));
await runExperiment(warmSpec, {
  cacheDir: join(work, "cache-seq"),
  resultsDir: join(work, "results-warm"),
  quiet: true,
});
console.log(
  `warm-up (data steps + one trial): ${((performance.now() - warmStart) / 1000).toFixed(1)} s`,
);
// The same warm cache for both modes: neither finds the other's trained models.
await new Deno.Command("cp", { args: ["-a", join(work, "cache-seq"), join(work, "cache-par")] })
  .output();

const sequential = await timedSweep("jobs1", 1, join(work, "cache-seq"));
const parallel = await timedSweep("jobs2", 2, join(work, "cache-par"));

const cores = cpus().length;
console.log(
  "\n| 8 SVD++ trials, default scale | wall time | mean trial | trials' CPU | cores used by trials" +
    " | cores used by others | load avg before / during |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const phase of [sequential, parallel]) {
  const trials = phase.outcome.results.map((r) => r.seconds!);
  const mean = trials.reduce((a, b) => a + b, 0) / trials.length;
  const ours = phase.trialCpu / phase.seconds;
  const others = Math.max(0, phase.cpuBusy * cores - ours);
  console.log(
    `| --jobs ${phase.label.slice(4)} | ${phase.seconds.toFixed(1)} s | ${mean.toFixed(1)} s | ` +
      `${phase.trialCpu.toFixed(1)} s | ${ours.toFixed(2)} | ${others.toFixed(2)} | ` +
      `${phase.loadBefore.toFixed(2)} / ${phase.loadMean.toFixed(2)} |`,
  );
}
const ratio = parallel.seconds / sequential.seconds;
console.log(
  `\njobs 2 / jobs 1 wall time: ${(ratio * 100).toFixed(0)}% (target < 60%)` +
    ` with ${fixed.join(" ")}; ${cores} cores`,
);
Deno.removeSync(work, { recursive: true });
