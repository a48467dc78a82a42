import type { Command } from "commander";
import { UserError } from "./errors.ts";
import { checkResultsDir, checkRunFolderPath } from "./output_paths.ts";
import { metricsText } from "./results.ts";
import { defaultCacheDir, defaultResultsDir, runExperiment } from "./run.ts";
import { addLauncherOptions, resolveLauncher } from "./slurm/launcher_options.ts";
import { checkSlurmRun, runOnSlurm } from "./slurm/run_on_slurm.ts";
import { type LoadedSpec, loadSpec } from "./spec/load.ts";
import { typeCheckOptions } from "./spec/type_check.ts";
import { type Override, parseOverride } from "./spec/overrides.ts";
import { resolveInputPath, resolveOutputPath } from "./spec/user_paths.ts";
import { splitTopLevelCommas } from "./sweep/set_arguments.ts";
import { isSuiteFile, runSuite } from "./suite/run_suite.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `run <spec>`: one experiment (or a suite of them); the metric table on stdout. With
 * `--launcher slurm`, the same `run` as one Slurm job, waited for (or --detach).
 */
export function registerRun(program: Command): void {
  const command = program
    .command("run")
    .description("run one experiment spec (YAML or TS), or a suite; metric table on stdout")
    .argument("<spec>", "experiments/<name>.yaml or .ts")
    .option("--set <path=value>", "override a spec field by dotted path (repeatable)", collect, [])
    .option("--cache-dir <dir>", "cache folder (default .cache/, or $RECSYS_CACHE)")
    .option("--results-dir <dir>", "results folder (default results/, or $RECSYS_RESULTS)")
    .option("--no-cache", "recompute every step (and type-check a TS spec again)")
    .option("--no-type-check", "do not type-check a TS spec (its values are still validated)")
    .option("-q, --quiet", "no progress on stderr")
    .option("--report", "also write report.html (charts) into the run folder");
  addLauncherOptions(command)
    .action(async (file: string, opts) => {
      // Everything the user gave is checked before any step runs.
      const overrides = (opts.set as string[]).map((text) => parseRunOverride(file, text));
      const launcher = resolveLauncher(opts, null);
      if (launcher.type === "slurm") await checkSlurmRun(launcher.slurm);
      const resultsDir = opts.resultsDir === undefined
        ? checkResultsDir(defaultResultsDir(), "$RECSYS_RESULTS (default results/)")
        : checkResultsDir(opts.resultsDir, "--results-dir");
      const options = {
        cacheDir: opts.cacheDir === undefined ? undefined : resolveOutputPath(opts.cacheDir),
        resultsDir,
        noCache: opts.cache === false,
        quiet: opts.quiet,
      };
      const load = { typeCheck: typeCheckOptions(opts, options.cacheDir ?? defaultCacheDir()) };
      let outcome;
      const where = resolveInputPath(file);
      if (launcher.type === "slurm") {
        if (where.found && isSuiteFile(where.path)) {
          throw new UserError("a suite runs locally; submit its experiments one by one", {
            path: "--launcher",
          });
        }
        const loaded = await loadSpec(file, overrides, load);
        refuseSweep(loaded);
        await located(loaded, () => {
          checkRunFolderPath(resultsDir, loaded.spec.name);
          return Promise.resolve();
        });
        const runArgs = [
          ...overrides.flatMap((o) => ["--set", o.text]),
          ...(options.noCache ? ["--no-cache"] : []),
          ...(opts.report ? ["--report"] : []),
          ...(load.typeCheck.skipped ? ["--no-type-check"] : []),
        ];
        Deno.exitCode = await runOnSlurm({
          file: where.found ? where.path : file,
          name: loaded.spec.name,
          runArgs,
          cacheDir: options.cacheDir ?? defaultCacheDir(),
          resultsDir,
        }, launcher.slurm);
        return;
      }
      if (where.found && isSuiteFile(where.path)) {
        const suite = outcome = await runSuite(where.path, overrides, options, load);
        // A suite may have one group only (experiments/baselines.yaml: sound): print what ran.
        const ran = (group: string) =>
          Object.keys(suite.members).some((k) => k.startsWith(`${group}/`));
        if (ran("faithful")) {
          console.log(`faithful protocol (metrics_summary.csv)\n\n${suite.faithful}`);
        }
        if (ran("sound")) {
          console.log(`sound protocol (metrics_summary_sound.csv)\n\n${suite.sound}`);
        }
      } else {
        const loaded = await loadSpec(file, overrides, load);
        refuseSweep(loaded);
        outcome = await located(loaded, () => {
          checkRunFolderPath(resultsDir, loaded.spec.name);
          return runExperiment(loaded.spec, options);
        });
        console.log(metricsText(outcome.metrics, outcome.uncertainty));
      }
      console.log(`run folder: ${outcome.runDir}`);
      if (opts.report) {
        const { writeRunReport } = await import("./report/run_report.ts");
        console.log(`report: ${await writeRunReport(outcome.runDir)}`);
      }
    });
}

/**
 * A `--set` of `run` takes one value. A comma list is a sweep's grid axis: say so rather
 * than pass "1,2" on as a string (quote a value that holds a comma, as `sweep` needs too).
 */
function parseRunOverride(file: string, text: string): Override {
  const eq = text.indexOf("=");
  if (eq > 0 && splitTopLevelCommas(text.slice(eq + 1)).length > 1) {
    throw new UserError(
      `a list of values is a sweep: run each as a trial with ` +
        `\`deno task sweep ${file} --set ${text}\`` +
        ` (or quote a single value holding a comma: ${text.slice(0, eq)}='"${
          text.slice(eq + 1)
        }"')`,
      { path: `--set ${text}` },
    );
  }
  return parseOverride(text);
}

/** `run` runs one experiment; the trials of a `sweep:` block are `deno task sweep`'s job. */
function refuseSweep({ spec, file, locate }: LoadedSpec): void {
  if (spec.sweep === null) return;
  throw locate(
    new UserError(
      `the spec has a sweep block: run its trials with \`deno task sweep ${file}\`, ` +
        "or run it once without it: --set sweep=null",
      { path: "sweep" },
    ),
  );
}

/** Problems found after loading (planning, a step's data checks) point into the spec too. */
async function located<T>(loaded: LoadedSpec, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof UserError ? loaded.locate(error) : error;
  }
}
