/**
 * The MAL pipeline at `full` scale (24,905 anime, ~24.3 M ratings in users-score-2023.csv),
 * through the runner as a user runs it, from a cold cache: generation, ingest (load),
 * cleaning, the per-user split; then the reload of the cleaned ratings from the cache.
 * Targets (issue 3): ingest < 30 s with peak RSS < 4 GB; reload < 3 s; split < 10 s.
 *
 *   deno run -A bench/mal_full.ts [--files ratings2023] [--rng seeded|numpy] [--keep DIR]
 */
import { join } from "node:path";
import { ArtifactStore } from "../runners/cache/store.ts";
import { runCli } from "./cli_run.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";

const arg = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const files = arg("--files", "ratings2023");
const rng = arg("--rng", "seeded");
const work = arg("--keep", Deno.makeTempDirSync({ prefix: "bench-mal-full-" }));
const cacheDir = join(work, "cache");

const spec = join(work, "full.yaml");
Deno.writeTextFileSync(
  spec,
  `name: mal-full\ndata: {scale: full, files: [${files}]}\nsplit: {rng: ${rng}}\n` +
    `model: {type: toppop}\n` +
    `evaluate: {on: [test], metrics: [precision, recall, ndcg]}\n`,
);
const run = await runCli(spec, [], { cacheDir, resultsDir: join(work, "results") });

console.log(`files: ${files}; split rng ${rng}; whole process peak RSS ${run.peak_rss_mb} MiB\n`);
console.log("| step | seconds | notes |");
console.log("|---|---:|---|");
for (const step of run.steps) {
  const counts = step.meta?.counts ? JSON.stringify(step.meta.counts).slice(0, 120) : "";
  console.log(`| ${step.name} | ${step.seconds.toFixed(2)} | ${counts} |`);
}

// Reload of the cleaned ratings from the cache, as a downstream step would (checksums verified).
const clean = run.steps.find((s) => s.name === "clean")!;
const store = new ArtifactStore(cacheDir);
const started = performance.now();
const artifact = (await store.load(clean.fingerprint as Fingerprint))!;
const seconds = (performance.now() - started) / 1000;
console.log(
  `| reload clean from cache | ${
    seconds.toFixed(2)
  } | ${artifact.tables.ratings.rating.length} ratings |`,
);
if (!Deno.args.includes("--keep")) Deno.removeSync(work, { recursive: true });
