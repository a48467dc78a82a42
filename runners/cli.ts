import { Command, CommanderError } from "commander";
import { DataError } from "../data/data_error.ts";
import { EXIT_BAD_INPUT, EXIT_FAILED, StepError, UserError } from "./errors.ts";
import { registerCheck } from "./check/check_command.ts";
import { metricsText } from "./results.ts";
import { runExperiment } from "./run.ts";
import { loadSpec } from "./spec/load.ts";
import { isSuiteFile, runSuite } from "./suite/run_suite.ts";
import { parseOverride } from "./spec/overrides.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The command line: `run` now; sweep, compare and check join it as they are built. */
export function buildProgram(): Command {
  const program = new Command("recsys")
    .description("declarative experiment runner for recommender-system research")
    .exitOverride()
    .showHelpAfterError();
  program
    .command("run")
    .description("run one experiment spec (YAML or TS); metric table on stdout")
    .argument("<spec>", "experiments/<name>.yaml or .ts")
    .option("--set <path=value>", "override a spec field by dotted path (repeatable)", collect, [])
    .option("--cache-dir <dir>", "cache folder (default .cache/, or $RECSYS_CACHE)")
    .option("--results-dir <dir>", "results folder (default results/, or $RECSYS_RESULTS)")
    .option("--no-cache", "recompute every step")
    .option("-q, --quiet", "no progress on stderr")
    .action(async (file: string, opts) => {
      const overrides = (opts.set as string[]).map(parseOverride);
      const options = {
        cacheDir: opts.cacheDir,
        resultsDir: opts.resultsDir,
        noCache: opts.cache === false,
        quiet: opts.quiet,
      };
      if (isSuiteFile(file)) {
        const suite = await runSuite(file, overrides, options);
        console.log(`faithful protocol (metrics_summary.csv)\n\n${suite.faithful}`);
        console.log(`sound protocol (metrics_summary_sound.csv)\n\n${suite.sound}`);
        console.log(`run folder: ${suite.runDir}`);
        return;
      }
      const { spec } = await loadSpec(file, overrides);
      const outcome = await runExperiment(spec, options);
      console.log(metricsText(outcome.metrics));
      console.log(`run folder: ${outcome.runDir}`);
    });
  registerCheck(program);
  return program;
}

export async function main(args: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(args, { from: "user" });
    return typeof Deno.exitCode === "number" ? Deno.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof UserError) {
      console.error(`error: ${error.describe()}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof DataError) {
      console.error(`error: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof StepError) {
      console.error(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    console.error(error);
    return EXIT_FAILED;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
