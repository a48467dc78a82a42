import type { Command } from "commander";
import { EXIT_FAILED, UserError } from "../errors.ts";
import { addLauncherOptions, resolveLauncher } from "../slurm/launcher_options.ts";
import { checkResultsDir } from "../output_paths.ts";
import { defaultCacheDir, defaultResultsDir } from "../run.ts";
import { typeCheckOptions } from "../spec/type_check.ts";
import { resolveInputPath, resolveOutputPath } from "../spec/user_paths.ts";
import { executeSweep } from "./run_sweep.ts";
import { parseSelect, selectTrial } from "./select.ts";
import {
  failureReport,
  keyMetric,
  selectionReport,
  summaryTable,
  trialMetrics,
} from "./summary.ts";
import { displayPath } from "./sweep_progress.ts";
import { recordSelection } from "./sweep_record.ts";
import { registerSweepStatus } from "./sweep_status.ts";
import { prepareSweep } from "./trials.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `sweep <spec> [--set a.b=v1,v2 ...] [--jobs N] [--fail-fast] [--launcher slurm ...]`: the
 * trials of the spec's `sweep:` block and of the `--set` lists, each a `run` in its own
 * process (or Slurm array task); trials already in the results folder are skipped. Summary
 * table on stdout; exit 1 if a trial failed. `sweep status <folder>` follows a Slurm sweep.
 */
export function registerSweep(program: Command): void {
  const command = program
    .command("sweep")
    .description("run the trials of a sweep in parallel processes sharing the cache")
    .argument("<spec>", "experiments/<name>.yaml or .ts")
    .option(
      "--set <path=value>",
      "fixed override, or a grid axis when the value is a comma list (repeatable)",
      collect,
      [],
    )
    .option("-j, --jobs <n>", "trials running at once", "1")
    .option("--fail-fast", "on the first failed trial, launch no more and kill the running ones")
    .option("--metric <name>", "metric shown in the summary, e.g. ndcg@10 or dev.ndcg@10")
    .option(
      "--select <part.metric>",
      "metric that chooses the best trial (default: the spec's sweep.select, else dev.ndcg@10)",
    )
    .option("--cache-dir <dir>", "cache folder shared by the trials (default .cache/)")
    .option("--results-dir <dir>", "results folder (default results/)")
    .option("--no-type-check", "do not type-check a TS spec (its values are still validated)")
    .option("-q, --quiet", "no per-trial progress on stderr");
  addLauncherOptions(command)
    .action(async (file: string, opts) => {
      // Trials get the spec's absolute path: found from the user's folder, as `run` finds it.
      const spec = resolveInputPath(file);
      const resultsDir = opts.resultsDir === undefined
        ? checkResultsDir(defaultResultsDir(), "$RECSYS_RESULTS (default results/)")
        : checkResultsDir(opts.resultsDir, "--results-dir");
      const cacheDir = opts.cacheDir === undefined ? undefined : resolveOutputPath(opts.cacheDir);
      const typeCheck = typeCheckOptions(opts, cacheDir ?? defaultCacheDir());
      const sweep = await prepareSweep(
        spec.found ? spec.path : file,
        opts.set as string[],
        typeCheck,
      );
      // Checked before any trial runs: a typo in the metric should not cost a sweep.
      const where = opts.select === undefined
        ? { file: sweep.file, path: "sweep.select" }
        : { path: "--select" };
      const select = parseSelect(opts.select ?? sweep.base.sweep?.select, where);
      const launcher = resolveLauncher(opts, sweep.base.sweep?.launcher ?? null, sweep.file);
      if (launcher.type === "slurm" && opts.failFast) {
        throw new UserError("--fail-fast is for local sweeps", { path: "--fail-fast" });
      }
      const outcome = await executeSweep(sweep, {
        launcher,
        jobs: Number(opts.jobs),
        failFast: opts.failFast === true,
        // Absolute, from the user's folder, as every trial's `run` resolves them.
        cacheDir,
        resultsDir,
        quiet: opts.quiet,
      });
      if (outcome.slurm?.detached) {
        console.log(summaryTable(outcome));
        console.log(
          `submitted as Slurm job ${outcome.slurm.jobId}; follow it with ` +
            `\`deno task sweep status ${displayPath(outcome.sweepDir!)}\``,
        );
        return;
      }
      const shown = opts.metric === undefined ? undefined : keyMetric(outcome.results, opts.metric);
      let selection;
      try {
        selection = selectTrial(outcome.results, select, trialMetrics, where);
      } catch (error) {
        // The trials ran: show them before refusing the metric.
        console.log(summaryTable(outcome, shown ?? keyMetric(outcome.results)));
        throw error;
      }
      if (outcome.sweepDir) await recordSelection(outcome.sweepDir, selection);
      const key = shown ?? (selection.trial ? undefined : keyMetric(outcome.results));
      console.log(summaryTable(outcome, key, selection.trial ? selection : undefined));
      console.log(selectionReport(selection));
      const failures = failureReport(outcome);
      if (failures) console.log(failures);
      if (outcome.failed) Deno.exitCode = EXIT_FAILED;
    });
  registerSweepStatus(command);
}
