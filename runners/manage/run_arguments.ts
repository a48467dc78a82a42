/**
 * The runs named on a management command line (`tag`, `note`, `archive`, `delete`): a run
 * folder's path (relative to the folder the command was typed in), or a bare run id looked
 * up in the results folder, archived runs included.
 */
import { UserError } from "../errors.ts";
import { listRunFolders, RUN_ID_PATTERN } from "../run_folder/list_runs.ts";
import { checkResultsDir } from "../output_paths.ts";
import { defaultResultsDir } from "../paths.ts";
import { resolveOutputPath } from "../spec/user_paths.ts";

/** The results folder of `--results-dir`, or the default one ($RECSYS_RESULTS, results/). */
export function resultsDirOption(option: string | undefined): string {
  return option === undefined
    ? checkResultsDir(defaultResultsDir(), "$RECSYS_RESULTS (default results/)")
    : checkResultsDir(option, "--results-dir");
}

/** The absolute path of each argument (a run id becomes the folder that holds that run). */
export function runArguments(args: string[], resultsDir: string): string[] {
  return args.map((arg) => runArgument(arg, resultsDir));
}

function runArgument(arg: string, resultsDir: string): string {
  const path = resolveOutputPath(arg);
  if (!RUN_ID_PATTERN.test(arg) || exists(path)) return path;
  const found = listRunFolders(resultsDir, { archived: true }).filter((r) => r.runId === arg);
  if (found.length === 1) return found[0].dir;
  if (found.length === 0) {
    throw new UserError(`no run ${arg} in ${resultsDir} (nor in its archive)`, { file: arg });
  }
  throw new UserError(
    `run id ${arg} names ${found.length} folders: ${found.map((r) => r.dir).join(", ")}; ` +
      "give the folder",
    { file: arg },
  );
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
