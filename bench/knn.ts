/**
 * The neighbourhood models and the random floor through the runner, as a user runs them.
 *
 * 1. ml-latest-small (`data.source: movielens`, per-user split, top-10 over the full
 *    catalogue for every test user): fit and recommend seconds of random, itemknn, userknn
 *    and rp3beta (target: each <= 2 s). Skipped, with a message, without the file.
 * 2. Once, the generated full MAL scale (`users-score-2023.csv`, ~24 M ratings, 270k users),
 *    itemknn and rp3beta with `threads` (default 2): every step's seconds, end to end without
 *    the generation of the synthetic files, and the process's peak RSS (targets: <= 3 min end
 *    to end, <= 8 GB). The full data steps are generated once and shared by both runs.
 *
 *    userknn (k 100, shrink 10) is measured the same way (`--full-models` picks the models).
 *    `--scale default` or `--train-frac F` (a share of the training rows) run it smaller, for
 *    cost growth between two scales when the machine is too busy for the full one.
 *
 * The load average (/proc/loadavg) is printed beside each figure: the machine is shared.
 *
 *   deno run -A bench/knn.ts [--movielens PATH] [--only small|full] [--threads 2] [--cache DIR]
 *     [--full-models itemknn,rp3beta,userknn] [--scale full|default] [--train-frac 1]
 */
import { join } from "node:path";
import { runCli } from "./cli_run.ts";
import type { RunRecord } from "../runners/results.ts";

const root = join(import.meta.dirname!, "..");
const arg = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const only = arg("--only", "");
const threads = arg("--threads", "2");
const work = Deno.makeTempDirSync({ prefix: "bench-knn-" });
const cacheDir = arg("--cache", join(work, "cache"));
const dirs = { cacheDir, resultsDir: join(work, "results") };

/** The 1-minute load average, as uptime prints it. */
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ")[0];

const clockTicks = Number(
  new TextDecoder().decode(new Deno.Command("getconf", { args: ["CLK_TCK"] }).outputSync().stdout),
) || 100;
/** CPU seconds of this process's finished children (the runs), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return (fields[13] + fields[14]) / clockTicks; // cutime + cstime
}
/** Machine-wide busy CPU seconds, from /proc/stat. */
function machineBusySeconds(): number {
  const fields = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return (fields.reduce((a, b) => a + b, 0) - idle) / clockTicks;
}

/** Runs a spec in its own process; also the CPU it used and the cores others kept busy. */
async function measuredRun(overrides: string[]) {
  const cpuBefore = childCpuSeconds();
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const run = await runCli(join(root, "experiments/toppop.yaml"), overrides, dirs);
  const wall = (performance.now() - started) / 1000;
  const cpu = childCpuSeconds() - cpuBefore;
  const othersCores = (machineBusySeconds() - busyBefore - cpu) / wall;
  return { run, wall, cpu, othersCores };
}

const stepSeconds = (run: RunRecord, name: string) =>
  run.steps.find((s) => s.name === name)?.seconds ?? NaN;

/** ml-latest-small beside the project (../shared/data), or as a worktree of it sees it. */
function movielensPath(): string | null {
  const given = arg("--movielens", "");
  const candidates = given ? [given] : [
    join(root, "../shared/data/ml-latest-small/ratings.csv"),
    join(root, "../../shared/data/ml-latest-small/ratings.csv"),
  ];
  return candidates.find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  }) ?? null;
}

const models: Record<string, string> = {
  random: "{type: random}",
  itemknn: "{type: itemknn, k_neighbors: 100, shrink: 10}",
  userknn: "{type: userknn, k_neighbors: 100, shrink: 10}",
  rp3beta: "{type: rp3beta, alpha: 1, beta: 0.5, k_neighbors: 100}",
};

async function small(): Promise<void> {
  const path = movielensPath();
  if (path === null) {
    console.log("ml-latest-small not found (../shared/data/ml-latest-small/ratings.csv): skipped");
    return;
  }
  console.log(`ml-latest-small: ${path}, per-user split, top-10 for every test user, threads 1\n`);
  console.log("| model | fit s | recommend s | fit + recommend s | test ndcg@10 | load |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [type, model] of Object.entries(models)) {
    const before = load();
    const { run } = await measuredRun([
      "name=knn-movielens",
      "data.source=movielens",
      `data.path=${path}`,
      `model=${model}`,
      "evaluate.on=[test]",
    ]);
    const fit = stepSeconds(run, "train");
    const recommend = stepSeconds(run, "recommend");
    const metrics = JSON.parse(
      Deno.readTextFileSync(join(dirs.resultsDir, "knn-movielens", run.run_id, "metrics.json")),
    );
    console.log(
      `| ${type} | ${fit.toFixed(2)} | ${recommend.toFixed(2)} | ${
        (fit + recommend).toFixed(2)
      } | ${metrics.test["ndcg@10"].toFixed(4)} | ${before}–${load()} |`,
    );
  }
}

async function full(): Promise<void> {
  const scale = arg("--scale", "full");
  const trainFrac = arg("--train-frac", "1");
  const wanted = arg("--full-models", "itemknn,rp3beta,userknn").split(",");
  const unknown = wanted.find((type) => !models[type]);
  if (unknown !== undefined) throw new Error(`--full-models: unknown ${unknown}`);
  console.log(
    `\nMAL ${scale} scale (users-score-2023.csv), train_frac ${trainFrac}, threads ${threads}, ` +
      "top-10 for every test user\n",
  );
  for (const type of wanted) {
    const before = load();
    const { run, wall, cpu, othersCores } = await measuredRun([
      "name=knn-full",
      `data.scale=${scale}`,
      "data.files=[ratings2023]",
      `sample.train_frac=${trainFrac}`,
      `model=${models[type].replace("}", `, threads: ${threads}}`)}`,
      "evaluate.on=[test]",
    ]);
    const computed = run.steps.filter((s) => s.status === "computed");
    const pipeline = run.steps.filter((s) => s.name !== "dataset")
      .reduce((sum, s) => sum + s.seconds, 0);
    console.log(`### ${type} (load ${before}–${load()})\n`);
    console.log("| step | status | seconds |");
    console.log("|---|---|---:|");
    for (const step of run.steps) {
      console.log(`| ${step.name} | ${step.status} | ${step.seconds.toFixed(1)} |`);
    }
    console.log(
      `\nprocess wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, others kept ${
        othersCores.toFixed(2)
      } of the cores busy; steps computed: ${computed.map((s) => s.name)};` +
        ` train + recommend ${
          (stepSeconds(run, "train") + stepSeconds(run, "recommend")).toFixed(1)
        } s; peak RSS ${run.peak_rss_mb} MiB\n`,
    );
    if (type === "itemknn") {
      console.log(
        `end to end without generating the files (load .. evaluate): ${pipeline.toFixed(1)} s\n`,
      );
    }
  }
}

try {
  if (only !== "full") await small();
  if (only !== "small") await full();
} finally {
  Deno.removeSync(work, { recursive: true });
}
