import type { Command } from "commander";
import { metricsText } from "./results.ts";
import { runExperiment } from "./run.ts";
import { loadSpec } from "./spec/load.ts";
import { parseOverride } from "./spec/overrides.ts";
import { isSuiteFile, runSuite } from "./suite/run_suite.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `run <spec>`: one experiment (or a suite of them); the metric table on stdout. */
export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run one experiment spec (YAML or TS), or a suite; metric table on stdout")
    .argument("<spec>", "experiments/<name>.yaml or .ts")
    .option("--set <path=value>", "override a spec field by dotted path (repeatable)", collect, [])
    .option("--cache-dir <dir>", "cache folder (default .cache/, or $RECSYS_CACHE)")
    .option("--results-dir <dir>", "results folder (default results/, or $RECSYS_RESULTS)")
    .option("--no-cache", "recompute every step")
    .option("-q, --quiet", "no progress on stderr")
    .option("--report", "also write report.html (charts) into the run folder")
    .action(async (file: string, opts) => {
      const overrides = (opts.set as string[]).map(parseOverride);
      const options = {
        cacheDir: opts.cacheDir,
        resultsDir: opts.resultsDir,
        noCache: opts.cache === false,
        quiet: opts.quiet,
      };
      let outcome;
      if (isSuiteFile(file)) {
        const suite = outcome = await runSuite(file, overrides, options);
        console.log(`faithful protocol (metrics_summary.csv)\n\n${suite.faithful}`);
        console.log(`sound protocol (metrics_summary_sound.csv)\n\n${suite.sound}`);
      } else {
        const { spec } = await loadSpec(file, overrides);
        outcome = await runExperiment(spec, options);
        console.log(metricsText(outcome.metrics));
      }
      console.log(`run folder: ${outcome.runDir}`);
      if (opts.report) {
        const { writeRunReport } = await import("./report/run_report.ts");
        console.log(`report: ${await writeRunReport(outcome.runDir)}`);
      }
    });
}
