/**
 * SVD++ (fast variant, the study's hyperparameters: 80 factors, 12 epochs, lr 0.005, reg
 * 0.02) on the generated `full` scale through the runner, as `experiments/svdpp.yaml` runs:
 * ~23 M training ratings, then top-10 over the full catalogue for every test user.
 * Targets (issue 4): training under 5 minutes, peak RSS under 4 GB; every test user's
 * top-10 under 2 minutes.
 *
 *   deno run -A bench/svdpp_full.ts [--epochs 12] [--threads 2] [--cache DIR]
 * (threads > 1: Hogwild training, not bit-reproducible; recommend lists are unchanged.)
 * (--cache reuses a cache that already holds the full-scale data steps.)
 */
import { join } from "node:path";
import { runCli } from "./cli_run.ts";

const root = join(import.meta.dirname!, "..");
const arg = (name: string, fallback: string) =>
  Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : fallback;
const epochs = arg("--epochs", "12");
const threads = arg("--threads", "2");
const work = Deno.makeTempDirSync({ prefix: "bench-svdpp-full-" });
const cacheDir = arg("--cache", join(work, "cache"));

const run = await runCli(
  join(root, "experiments/svdpp.yaml"),
  [
    "data.scale=full",
    "data.files=[ratings2023]",
    `model.epochs=${epochs}`,
    `model.threads=${threads}`,
    "evaluate.on=[test]",
  ],
  { cacheDir, resultsDir: join(work, "results") },
  { stdout: "inherit" },
);
console.log(
  `\nSVD++ full scale, ${epochs} epochs, ${threads} threads; whole process peak RSS ${run.peak_rss_mb} MiB\n`,
);
console.log("| step | status | seconds | notes |");
console.log("|---|---|---:|---|");
for (const step of run.steps) {
  const notes = step.meta?.train_rows
    ? `${step.meta.train_rows} training ratings`
    : step.meta?.users
    ? `${step.meta.users} users`
    : "";
  console.log(`| ${step.name} | ${step.status} | ${step.seconds.toFixed(1)} | ${notes} |`);
}
Deno.removeSync(work, { recursive: true });
