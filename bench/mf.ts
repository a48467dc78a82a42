/**
 * The factorisation baselines (issue 10) through the runner, each `run` its own process:
 * 1. ml-latest-small (`data.source: movielens`, per-user split, test part only): the train and
 *    recommend seconds of ials and bpr (target: fit + recommend ≤ 2 s each);
 * 2. the generated `full` MAL scale, `users-score-2023.csv` only (~24 M ratings, 270k users),
 *    ials (64 factors, 10 epochs) and bpr (defaults), top-10 over the whole catalogue for
 *    every test user: step seconds and the whole process's peak RSS (targets ≤ 5 min end to
 *    end, ≤ 8 GB). The data steps are computed once and shared through one cache.
 * puresvd (50 factors; no threads option) is measured the same way.
 * The load average (`uptime`) is printed beside every figure: the machine is shared, so the
 * CPU seconds of the run process (user + system, all its threads, from /proc) are given too.
 * `--scale default` (or `--train-frac F`, a share of the training rows) runs the second part
 * smaller, for cost growth between two scales when the machine is too busy for the full one.
 *
 *   deno run -A bench/mf.ts [--threads 2] [--skip-full] [--cache DIR] [--movielens PATH]
 *     [--models ials,bpr,puresvd] [--scale full|default] [--train-frac 1]
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RunRecord } from "../runners/results.ts";

const root = join(import.meta.dirname!, "..");
const arg = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const threads = arg("--threads", "2");
// ../shared next to the project (its main checkout), else the machine's shared folder
const movielens = arg(
  "--movielens",
  [join(root, "../shared/data/ml-latest-small/ratings.csv")].find(existsSync) ??
    "/work/shared/data/ml-latest-small/ratings.csv",
);
const work = Deno.makeTempDirSync({ prefix: "bench-mf-" });
const cacheDir = arg("--cache", join(work, "cache"));
const load = () => Deno.loadavg().map((v) => v.toFixed(2)).join(" ");

const scale = arg("--scale", "full");
const trainFrac = arg("--train-frac", "1");
/** each model's overrides; `model.threads` is added to those that take it */
const allModels: Record<string, { set: string[]; threaded: boolean }> = {
  ials: { set: ["model.factors=64", "model.epochs=10"], threaded: true },
  bpr: { set: [], threaded: true },
  puresvd: { set: ["model.factors=50"], threaded: false },
};
const models = Object.fromEntries(
  arg("--models", Object.keys(allModels).join(",")).split(",").map((name) => {
    if (!allModels[name]) throw new Error(`--models: unknown ${name}`);
    return [name, allModels[name]];
  }),
);

function writeSpec(name: string, data: Record<string, unknown>, trainShare = 1): string {
  const path = join(work, `${name}.json`);
  const spec = {
    name,
    seed: 42,
    data,
    split: { method: "per_user", test: 1, dev: 1 },
    sample: { train_frac: trainShare },
    model: { type: "toppop", k: 10 },
    evaluate: { on: ["test"] },
  };
  Deno.writeTextFileSync(path, JSON.stringify(spec));
  return path;
}

/** `run` as runCli does (bench/cli_run.ts), also sampling the process's CPU time. */
async function runMeasured(
  spec: string,
  overrides: string[],
  resultsDir: string,
): Promise<{ run: RunRecord; cpuSeconds: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(root, "runners", "cli.ts"),
      "run",
      spec,
      ...overrides.flatMap((o) => ["--set", o]),
      "--cache-dir",
      cacheDir,
      "--results-dir",
      resultsDir,
    ],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  let ticks = 0;
  const sample = () => {
    try {
      // fields 14 and 15 (utime, stime) after the ")" that ends the command name
      const stat = Deno.readTextFileSync(`/proc/${child.pid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks = Math.max(ticks, Number(fields[11]) + Number(fields[12]));
    } catch { /* exited */ }
  };
  const timer = setInterval(sample, 100);
  const status = await child.status;
  clearInterval(timer);
  if (!status.success) throw new Error(`run of ${spec} failed (exit ${status.code})`);
  const experiment = [...Deno.readDirSync(resultsDir)][0].name;
  const runs = [...Deno.readDirSync(join(resultsDir, experiment))].map((e) => e.name).sort();
  const folder = join(resultsDir, experiment, runs.at(-1)!);
  return {
    run: JSON.parse(Deno.readTextFileSync(join(folder, "run.json"))),
    cpuSeconds: ticks / 100,
  };
}

async function bench(title: string, spec: string, extra: string[]) {
  console.log(`\n### ${title}\n`);
  console.log(
    "| model | train s | recommend s | end to end s (all steps) | CPU s of the process | " +
      "peak RSS MiB | load before / after |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const [type, model] of Object.entries(models)) {
    const before = load();
    const started = performance.now();
    const resultsDir = Deno.makeTempDirSync({ dir: work, prefix: "results-" });
    const threaded = model.threaded ? [`model.threads=${threads}`] : [];
    const { run, cpuSeconds } = await runMeasured(
      spec,
      [`model.type=${type}`, ...threaded, ...model.set, ...extra],
      resultsDir,
    );
    const wall = (performance.now() - started) / 1000;
    const seconds = (name: string) =>
      run.steps.filter((s) => s.name === name).reduce((sum, s) => sum + s.seconds, 0);
    const computed = run.steps.filter((s) => s.status === "computed")
      .reduce((sum, s) => sum + s.seconds, 0);
    console.log(
      `| ${type} | ${seconds("train").toFixed(2)} | ${seconds("recommend").toFixed(2)} | ` +
        `${computed.toFixed(1)} (process ${wall.toFixed(1)}) | ${cpuSeconds.toFixed(1)} | ` +
        `${run.peak_rss_mb} | ${before} / ${load()} |`,
    );
  }
}

try {
  if (existsSync(movielens)) {
    await bench(
      `ml-latest-small (${movielens}), ${threads} thread(s)`,
      writeSpec("mf-movielens", { source: "movielens", path: movielens }),
      [],
    );
  } else {
    console.log(`ml-latest-small skipped: ${movielens} is absent (--movielens PATH)`);
  }
  if (!Deno.args.includes("--skip-full")) {
    await bench(
      `generated MAL, ${scale} scale, users-score-2023 only, train_frac ${trainFrac}, ` +
        `${threads} thread(s)`,
      writeSpec("mf-full", { source: "mal", scale, files: ["ratings2023"] }, Number(trainFrac)),
      [],
    );
    console.log(
      "\n(end to end: the seconds of the steps computed by that run; the first model's run " +
        "also generates, loads, cleans and splits the data, which the second finds cached)",
    );
  }
} finally {
  Deno.removeSync(work, { recursive: true });
}
