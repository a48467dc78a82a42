import type { Command } from "commander";
import { EXIT_FAILED, UserError } from "../errors.ts";
import { checkRun, driftTable } from "./check_run.ts";

/** `check <run folder…>`: re-execute recorded runs without the cache; exit 1 on drift. */
export function registerCheck(program: Command): void {
  program
    .command("check")
    .description(
      "verify run folders' files and re-run them without the cache, comparing every metric",
    )
    .argument("<runs...>", "run folders (results/<experiment>/<run id>)")
    .option("--tolerance <x>", "largest absolute difference accepted (default 0: exact)", "0")
    .option("-q, --quiet", "no step progress on stderr")
    .action(async (runs: string[], opts) => {
      const tolerance = Number(opts.tolerance);
      if (!(tolerance >= 0)) {
        throw new UserError(`--tolerance must be a number >= 0, got '${opts.tolerance}'`);
      }
      let failed = false;
      for (const runDir of runs) {
        const result = await checkRun(runDir, { tolerance, quiet: opts.quiet });
        if (result.changes.length) {
          failed = true;
          console.log(`CHANGED ${runDir}: the folder is not what the run wrote`);
          for (const change of result.changes) console.log(`  ${change}`);
        }
        if (result.drifts.length) {
          failed = true;
          console.log(
            `DRIFT ${runDir}: ${result.drifts.length} of ${result.compared} metrics differ`,
          );
          console.log(driftTable(result.drifts));
        } else {
          const reproduced = `${result.compared} metrics reproduced ${
            tolerance ? `within ${tolerance}` : "exactly"
          } (${result.seconds.toFixed(1)} s)`;
          console.log(result.changes.length ? `  ${reproduced}` : `ok ${runDir}: ${reproduced}`);
        }
      }
      if (failed) Deno.exitCode = EXIT_FAILED;
    });
}
