/**
 * `compare` over 1,000 run folders (issue: < 2 s). Generates an experiment folder of
 * synthetic runs in the real format (spec.json, spec.yaml, metrics.json, run.json; a sweep over
 * model.k, exclude_seen, candidates and seed) and times:
 *   - in process: reading, table, Markdown (first call, then warm);
 *   - a whole process running compare (`cli.ts compare` once the subcommand is wired,
 *     else a process that registers it on a bare program), and Deno start-up with
 *     `cli.ts --help` for scale.
 *
 * Then paired tests between two runs with per-user values at the default scale's size.
 *
 *   deno run -A bench/compare.ts [--runs 1000]
 */
import { defaultRankingMetrics } from "../metrics/registry.ts";
import { join } from "node:path";
import { denoRunArgs } from "../runners/paths.ts";
import YAML from "yaml";
import { encodeTable } from "../runners/cache/arrow_io.ts";
import { compareRuns, registerCompare, renderReport } from "../runners/compare/compare_command.ts";

const root = join(import.meta.dirname!, "..");

if (Deno.args[0] === "--child") {
  // The whole-process measurement when cli.ts has no compare yet.
  const { Command } = await import("commander");
  const program = new Command("recsys");
  registerCompare(program);
  await program.parseAsync(Deno.args.slice(1), { from: "user" });
  Deno.exit(0);
}

const runs = Deno.args.includes("--runs")
  ? Number(Deno.args[Deno.args.indexOf("--runs") + 1])
  : 1000;
const work = Deno.makeTempDirSync({ prefix: "bench-compare-" });
const experiment = join(work, "toppop");
writeRuns(experiment, runs);

const timings: Array<[string, number]> = [];
for (const label of ["in process, first call", "in process, warm"]) {
  const started = performance.now();
  const report = await compareRuns([experiment], { sort: "test.ndcg@10", desc: true });
  renderReport(report, "md");
  timings.push([label, (performance.now() - started) / 1000]);
}
const { buildProgram } = await import("../runners/cli.ts");
const wired = (await buildProgram(["compare"])).commands.some((c) => c.name() === "compare");
const compareArgs = ["compare", experiment, "--sort", "test.ndcg@10", "--desc"];
const processArgs = wired
  ? [join(root, "runners", "cli.ts"), ...compareArgs]
  : [join(root, "bench", "compare.ts"), "--child", ...compareArgs];
for (let i = 1; i <= 3; i++) {
  timings.push([
    `whole process (${wired ? "cli.ts compare" : "compare alone"}) #${i}`,
    await timedProcess(processArgs),
  ]);
}
timings.push([
  "Deno start-up: cli.ts --help",
  await timedProcess([join(root, "runners", "cli.ts"), "--help"]),
]);

console.log(`| compare, ${runs} run folders | seconds |`);
console.log("|---|---:|");
for (const [label, seconds] of timings) console.log(`| ${label} | ${seconds.toFixed(2)} |`);

// Paired tests: two runs with per-user values for the default scale's 34,500 users.
const pair = join(work, "pair");
writeRuns(pair, 2);
writePerUser(pair, 34_500);
const pairedArgs = ["compare", pair, "--format", "json"];
const pairedTimings: Array<[string, number]> = [];
{
  const started = performance.now();
  await compareRuns([pair]);
  pairedTimings.push([
    "in process (stdlib loaded on first use)",
    (performance.now() - started) / 1000,
  ]);
}
pairedTimings.push([
  "whole process",
  await timedProcess(
    wired
      ? [join(root, "runners", "cli.ts"), ...pairedArgs]
      : [join(root, "bench", "compare.ts"), "--child", ...pairedArgs],
  ),
]);
console.log(`\n| compare, 2 runs, paired tests on 34,500 users x 6 metrics | seconds |`);
console.log("|---|---:|");
for (const [label, seconds] of pairedTimings) console.log(`| ${label} | ${seconds.toFixed(2)} |`);
Deno.removeSync(work, { recursive: true });

async function timedProcess(args: string[]): Promise<number> {
  const started = performance.now();
  const out = await deno(args);
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed (exit ${out.code})`);
  return (performance.now() - started) / 1000;
}

function deno(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, ...args],
    stdout: "null",
    stderr: "null",
  }).output();
}

/** per_user_test.arrow for every run in `dir`: ndcg-like tied values, a continuous one. */
function writePerUser(dir: string, users: number): void {
  let state = 12345;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const entry of Deno.readDirSync(dir)) {
    const userId = Int32Array.from({ length: users }, (_, i) => i);
    const hit = () => Float64Array.from({ length: users }, () => (random() < 0.3 ? 1 : 0));
    const table = {
      user_id: userId,
      "precision@10": hit().map((h) => h / 10),
      "recall@10": hit(),
      "ndcg@10": hit().map((h) => h / Math.log2(2 + Math.floor(random() * 10))),
      "hit_rate@10": hit(),
      "mrr@10": hit().map((h) => h / (1 + Math.floor(random() * 10))),
      "popularity_percentile@10": Float64Array.from({ length: users }, () => 90 + 10 * random()),
    };
    Deno.writeFileSync(join(dir, entry.name, "per_user_test.arrow"), encodeTable(table));
  }
}

/** `count` runs of a Top-Pop sweep, as the runner writes them. */
function writeRuns(dir: string, count: number): void {
  Deno.mkdirSync(dir, { recursive: true });
  const start = Date.UTC(2026, 10, 29, 8, 0, 0);
  for (let i = 0; i < count; i++) {
    const k = [5, 10, 20][i % 3];
    const spec = toppopSpec(k, i % 2 === 0, i % 5 === 0 ? "test_items" : "all", 42 + (i % 7));
    const stamp = new Date(start + i * 1000).toISOString().replace(/[-:]/g, "").replace(
      /\.\d+Z$/,
      "Z",
    );
    const id = `${stamp}-${(i * 2654435761 >>> 8).toString(16).padStart(6, "0").slice(-6)}`;
    const run = join(dir, id);
    Deno.mkdirSync(run);
    Deno.writeTextFileSync(join(run, "spec.json"), JSON.stringify(spec, null, 2) + "\n");
    Deno.writeTextFileSync(join(run, "spec.yaml"), YAML.stringify(spec));
    Deno.writeTextFileSync(join(run, "metrics.json"), JSON.stringify(metrics(k, i), null, 2));
    Deno.writeTextFileSync(join(run, "run.json"), JSON.stringify(runRecord(id, spec), null, 2));
  }
}

function toppopSpec(k: number, excludeSeen: boolean, candidates: string, seed: number) {
  return {
    name: "toppop",
    description: "the most-rated anime for everyone, seen items excluded",
    seed,
    data: {
      source: "mal",
      dir: null,
      path: null,
      scale: "default",
      generator_seed: 2023,
      files: ["ratings2018", "ratings2023"],
      rating_scale: null,
      clean: {
        synopsis_min: 30,
        synopsis_max: 2000,
        dedupe: false,
        min_user_ratings: 1,
        min_item_ratings: 1,
      },
    },
    split: { method: "per_user", test: 1, dev: 1, rng: "seeded" },
    sample: { train_frac: 1, test_users: null, dev_users: null },
    model: { type: "toppop", k, exclude_seen: excludeSeen, candidates },
    evaluate: {
      on: ["test", "dev"],
      metrics: defaultRankingMetrics(),
    },
    sweep: null,
  };
}

function metrics(k: number, i: number) {
  const part = (shift: number) => {
    const x = ((i * 7919 + shift) % 1000) / 1000;
    return {
      [`precision@${k}`]: 0.02 + 0.01 * x,
      [`recall@${k}`]: 0.2 + 0.1 * x,
      [`ndcg@${k}`]: 0.1 + 0.05 * x,
      [`hit_rate@${k}`]: 0.2 + 0.1 * x,
      [`mrr@${k}`]: 0.08 + 0.03 * x,
      [`coverage@${k}`]: 0.05 + 0.3 * x,
      [`popularity_percentile@${k}`]: 94 + 3 * x,
    };
  };
  return { test: part(0), dev: part(1) };
}

function runRecord(id: string, spec: unknown) {
  const step = (name: string) => ({
    name,
    kind: name,
    fingerprint: "f30a7d5576a64d23c72726fe70bb1e7f1d82a9882dae44a2399a32455523dee3",
    cached: true,
    status: "cached",
    seconds: 0.01,
    log: [],
    meta: {},
  });
  return {
    run_id: id,
    experiment: "toppop",
    spec_fingerprint: JSON.stringify(spec).length.toString(16).padStart(64, "0"),
    started: "2026-11-29T08:00:00.000Z",
    finished: "2026-11-29T08:00:00.400Z",
    seconds: 0.4,
    peak_rss_mb: 144,
    steps: ["dataset", "load", "clean", "split", "train", "recommend", "evaluate"].map(step),
    environment: { deno: Deno.version.deno, os: Deno.build.os, cores: 2 },
  };
}
