/**
 * Top-Pop at the default embedded scale, as a user runs it: the whole process from a cold
 * cache (dataset generation included), then a fully cached re-run.
 * Targets (issue 2): cold < 30 s, cached < 1.5 s on a 2-core machine.
 *
 *   deno run -A bench/toppop.ts [--scale default]
 */
import { join } from "node:path";
import { denoRunArgs } from "../runners/paths.ts";

const root = join(import.meta.dirname!, "..");
const scale = Deno.args.includes("--scale")
  ? Deno.args[Deno.args.indexOf("--scale") + 1]
  : "default";
const work = Deno.makeTempDirSync({ prefix: "bench-toppop-" });

async function timedRun(label: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      ...denoRunArgs,
      join(root, "runners", "cli.ts"),
      "run",
      join(root, "experiments", "toppop.yaml"),
      "--set",
      `data.scale=${scale}`,
      "--cache-dir",
      join(work, "cache"),
      "--results-dir",
      join(work, "results"),
      "--quiet",
    ],
    stdout: "null",
    stderr: "inherit",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  if (!out.success) throw new Error(`${label} failed`);
  console.log(`| toppop ${scale} | ${label} | ${seconds.toFixed(2)} s |`);
  return seconds;
}

console.log("| benchmark | cache | wall time (whole process) |");
console.log("|---|---|---:|");
await timedRun("cold");
const cached: number[] = [];
for (let i = 0; i < 3; i++) cached.push(await timedRun(`cached #${i + 1}`));
Deno.removeSync(work, { recursive: true });
