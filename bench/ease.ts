/**
 * EASE (issue 10): the dense SPD inverse's throughput, then EASE through the runner.
 *
 * 1. Inverse GFLOP/s (n^3 flops: Cholesky, L^-1, L^-T L^-1) of a random SPD matrix at n = 2,000
 *    and 9,724, WebAssembly SIMD on 1 and 2 threads, float32 and float64; the plain JavaScript
 *    kernel at n = 2,000 only (at 9,724 it would take hours).
 * 2. EASE fit + recommend on ml-latest-small (9,724 items, lambda 500, float32, 2 threads), if
 *    ../shared/data/ml-latest-small (or /work/shared/data/ml-latest-small) exists.
 * 3. Once, the generated full MAL scale (`users-score-2023.csv`, ~23 M training ratings) with
 *    the 10,000 most popular anime, end to end with top-10 for every test user: step seconds
 *    and the process's peak RSS. Targets: <= 20 s (ml-latest-small), <= 5 min and 8 GB (MAL).
 *
 *   deno run -A bench/ease.ts [--skip-inverse] [--skip-full] [--precision float32|float64]
 *     [--threads 2] [--cache DIR (a cache already holding the full-scale data steps)]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../data/rng/seeded.ts";
import {
  inverseFlops,
  invertInPlace,
  openWorkspace,
  type Precision,
} from "../models/linalg/mod.ts";
import { runCli } from "./cli_run.ts";

const root = join(import.meta.dirname!, "..");
const arg = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const precision = arg("--precision", "float32") as Precision;
const threads = arg("--threads", "2");
const load = () => Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
/** CPU seconds of this process, all threads (Linux: /proc/self/stat utime + stime at 100 Hz) */
function cpuSeconds(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function inverse(n: number, p: Precision, kernel: "wasm" | "js", t: number) {
  const ws = openWorkspace(n, p, t > 1);
  const { ld } = ws.layout;
  const random = seededRandom(`bench ${n}`);
  // diagonally dominant: SPD with a moderate condition number
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) ws.view[i * ld + j] = random();
    ws.view[i * ld + i] = n;
  }
  const loadBefore = load();
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  const ran = await invertInPlace(ws, { kernel, threads: t });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuBefore;
  const gflops = inverseFlops(n) / seconds / 1e9;
  // GFLOP/s per CPU second used: what the kernel does on a core it has to itself
  const perCore = inverseFlops(n) / cpu / 1e9;
  console.log(
    `| ${n} | ${p} | ${ran.kernel} | ${ran.threads} | ${seconds.toFixed(2)} | ` +
      `${gflops.toFixed(1)} | ${cpu.toFixed(1)} | ${perCore.toFixed(1)} | ${loadBefore} |`,
  );
}

if (!Deno.args.includes("--skip-inverse")) {
  console.log("Dense SPD inverse (in place, lower triangle in, whole inverse out)\n");
  console.log(
    "| n | precision | kernel | threads | seconds | GFLOP/s | CPU s | GFLOP per CPU s | " +
      "load (1/5/15 min) |",
  );
  console.log("|---:|---|---|---:|---:|---:|---:|---:|---|");
  for (const p of ["float32", "float64"] as const) {
    await inverse(2000, p, "js", 1);
    await inverse(2000, p, "wasm", 1);
    await inverse(2000, p, "wasm", 2);
    await inverse(9724, p, "wasm", 2);
  }
}

async function easeRun(label: string, overrides: string[], cacheDir: string, work: string) {
  const loadBefore = load();
  const run = await runCli(
    join(root, "experiments/toppop.yaml"),
    [
      "model.type=ease",
      `model.precision=${precision}`,
      `model.threads=${threads}`,
      "evaluate.on=[test]",
      ...overrides,
    ],
    { cacheDir, resultsDir: join(work, "results") },
  );
  console.log(
    `\n${label}: EASE, ${precision}, ${threads} threads; load before ${loadBefore}, ` +
      `after ${load()}; whole process peak RSS ${run.peak_rss_mb} MiB\n`,
  );
  console.log("| step | status | seconds |");
  console.log("|---|---|---:|");
  for (const step of run.steps) {
    console.log(`| ${step.name} | ${step.status} | ${step.seconds.toFixed(1)} |`);
  }
  const fit = run.steps.find((s) => s.name === "train")?.seconds ?? NaN;
  const recommend = run.steps.find((s) => s.name === "recommend")?.seconds ?? NaN;
  console.log(`\nfit + recommend: ${(fit + recommend).toFixed(1)} s`);
}

const movielens = ["../shared/data/ml-latest-small", "/work/shared/data/ml-latest-small"]
  .map((dir) => join(dir, "ratings.csv"))
  .find((path) => existsSync(join(root, path)) || existsSync(path));
const work = Deno.makeTempDirSync({ prefix: "bench-ease-" });
try {
  if (movielens === undefined) {
    console.log("\nml-latest-small: skipped, ../shared/data/ml-latest-small/ratings.csv not found");
  } else {
    await easeRun(
      "ml-latest-small (100,836 ratings, 9,724 items, lambda 500)",
      ["data.source=movielens", `data.path=${movielens}`],
      join(work, "cache-ml"),
      work,
    );
  }
  if (!Deno.args.includes("--skip-full")) {
    await easeRun(
      "full MAL scale, users-score-2023.csv, items: 10000",
      ["data.scale=full", "data.files=[ratings2023]", "model.items=10000"],
      arg("--cache", join(work, "cache-full")),
      work,
    );
  }
} finally {
  Deno.removeSync(work, { recursive: true });
}
