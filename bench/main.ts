/**
 * `deno task bench [name ...]`: runs the benchmarks one after another, each in its own
 * process so one's memory does not weigh on the next. Figures go into BENCHMARKS.md.
 */
import { join } from "node:path";
import { denoRunArgs } from "../runners/paths.ts";

const benches: Record<string, { script: string; args?: string[]; about: string }> = {
  toppop: { script: "toppop.ts", about: "Top-Pop default scale, cold and cached (issue 2)" },
  "mal-full": { script: "mal_full.ts", about: "full-scale ingest, clean, split, reload (issue 3)" },
  svdpp: { script: "svdpp_movielens.ts", about: "SVD++ on ml-latest-small, 5 folds (issue 4)" },
  "svdpp-full": {
    script: "svdpp_full.ts",
    about: "SVD++ 80 factors x 12 epochs at full scale (issue 4)",
  },
  "svdpp-scale": {
    script: "svdpp_scale.ts",
    about: "SVD++ epoch and 5,000-user top-10 at 24 M (issue 4)",
  },
  ease: {
    script: "ease.ts",
    about: "dense inverse GFLOP/s, EASE on ml-latest-small and full MAL (issue 10)",
  },
  mf: {
    script: "mf.ts",
    about: "iALS and BPR: ml-latest-small, then the full MAL scale (issue 10)",
  },
  sweep: { script: "sweep.ts", about: "8 SVD++ trials, --jobs 1 vs 2 (issue 6)" },
  slurm: {
    script: "slurm.ts",
    about: "Slurm launcher: overhead per trial, 16 SVD++ trials vs --jobs 2 (issue 12)",
  },
  compare: { script: "compare.ts", about: "compare over 1,000 run folders (issue 6)" },
  serve: {
    script: "serve.ts",
    about: "results browser: start-up, runs page at 1,000 and 10,000 run folders (issue 13)",
  },
  gc: { script: "gc.ts", about: "gc over 10,000 run folders and 10,000 artifacts (issue 13)" },
  bert: { script: "bert_encoder.ts", about: "MiniLM-shaped encoder throughput (issue 5)" },
  bootstrap: {
    script: "bootstrap.ts",
    about: "bootstrap intervals at 270k users: ranking means, rating metrics (issue 10)",
  },
  "text-ridge": {
    script: "text_ridge.ts",
    args: ["--dual"],
    about: "text ridge fit: embedded data and a full-MAL-sized item table (issue 11)",
  },
  "bert-finetune": {
    script: "bert_finetune.ts",
    about: "MiniLM-shaped fine-tuning examples/s, GFLOP/s, peak RSS (issue 11)",
  },
  "type-check": {
    script: "type_check.ts",
    about: "type check of a TS spec: first check, re-check, remembered pass; cached run with it",
  },
  knn: {
    script: "knn.ts",
    about: "random, itemknn, userknn, rp3beta: ml-latest-small, full MAL (issue 10)",
  },
};

const wanted = Deno.args.length ? Deno.args : Object.keys(benches);
for (const name of wanted) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(benches).join(", ")}`);
    Deno.exit(2);
  }
  console.log(`\n## ${name}: ${bench.about}\n`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, join(import.meta.dirname!, bench.script), ...(bench.args ?? [])],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) console.error(`benchmark ${name} failed (exit ${out.code})`);
}
