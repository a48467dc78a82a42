import { join } from "node:path";
import type { RunRecord } from "../runners/results.ts";
import { denoRunArgs } from "../runners/paths.ts";

const root = join(import.meta.dirname!, "..");

/**
 * Runs `deno run -A runners/cli.ts run <spec> ...` as a user would (its own process, so
 * start-up and peak memory are real) and returns the new run's run.json.
 */
export async function runCli(
  spec: string,
  overrides: string[],
  dirs: { cacheDir: string; resultsDir: string },
  options: { stdout?: "inherit" | "null" } = {},
): Promise<RunRecord> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      ...denoRunArgs,
      join(root, "runners", "cli.ts"),
      "run",
      spec,
      ...overrides.flatMap((o) => ["--set", o]),
      "--cache-dir",
      dirs.cacheDir,
      "--results-dir",
      dirs.resultsDir,
    ],
    stdout: options.stdout ?? "null",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`run of ${spec} failed (exit ${out.code})`);
  // The newest run folder of any experiment under resultsDir.
  let newest = "";
  for (const experiment of Deno.readDirSync(dirs.resultsDir)) {
    for (const run of Deno.readDirSync(join(dirs.resultsDir, experiment.name))) {
      if (!run.name.startsWith(".") && run.name > newest.split("/").at(-1)!) {
        newest = join(dirs.resultsDir, experiment.name, run.name);
      }
    }
  }
  return JSON.parse(Deno.readTextFileSync(join(newest, "run.json")));
}
