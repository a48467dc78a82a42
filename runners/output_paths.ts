/**
 * Checks, before any work, that the places a command will write to can be written: a run
 * that trains for an hour must not then fail on a typo in `--results-dir` or on a path the
 * file system refuses.
 */
import { dirname, join } from "node:path";
import { UserError } from "./errors.ts";
import { newRunId } from "./results.ts";
import { resolveOutputPath } from "./spec/user_paths.ts";

/** Linux's PATH_MAX, the terminating NUL included. */
export const PATH_MAX = 4096;
/** Room kept for the longest file name inside a run folder (`per_user_dev_fold10.arrow`...). */
const RUN_FILE_NAME_ROOM = 64;

/**
 * The absolute results folder, which must be a writable folder, or not exist yet inside a
 * writable one (it is then created by the run). `option` names where it came from.
 */
export function checkResultsDir(dir: string, option: string): string {
  // "" would resolve to the current folder and scatter run folders there.
  if (dir.trim() === "") throw new UserError("an empty path; give a folder", { path: option });
  const path = resolveOutputPath(dir);
  const kind = kindOf(path);
  if (kind === "directory") {
    requireWritable(path, option, path);
    return path;
  }
  if (kind === "other") throw new UserError(`${path} exists and is not a folder`, { path: option });
  const parent = dirname(path);
  if (kindOf(parent) !== "directory") {
    throw new UserError(
      `${path} does not exist, and ${parent} is not an existing folder: create it, or fix the path`,
      { path: option },
    );
  }
  requireWritable(parent, option, path);
  return path;
}

/**
 * The absolute path of an output file (`--out`): its folder must exist and be writable, and
 * the path must not be a folder.
 */
export function checkOutFile(file: string, option = "--out"): string {
  const path = resolveOutputPath(file);
  if (kindOf(path) === "directory") {
    throw new UserError(`${path} is a folder; give a file name`, { path: option });
  }
  const parent = dirname(path);
  if (kindOf(parent) !== "directory") {
    throw new UserError(`the folder ${parent} does not exist: create it, or fix the path`, {
      path: option,
    });
  }
  requireWritable(parent, option, path);
  return path;
}

/**
 * `results/<name>/<run id>/` and the files in it must fit in PATH_MAX (each component's 255
 * bytes are the spec schema's `name` check). The error names the field `name`.
 */
export function checkRunFolderPath(resultsDir: string, name: string): void {
  const runId = newRunId(new Date(), "");
  // The run is written into `.<run id>.partial/` first, the longest form of its folder.
  const longest = join(resultsDir, name, `.${runId}.partial`, "x".repeat(RUN_FILE_NAME_ROOM));
  const bytes = new TextEncoder().encode(longest).length;
  if (bytes >= PATH_MAX) {
    throw new UserError(
      `the run folder ${join(resultsDir, name, runId)} would be too long to write ` +
        `(${bytes} bytes with its files, the limit is ${PATH_MAX - 1}): ` +
        "shorten the name or the results folder",
      { path: "name" },
    );
  }
}

function kindOf(path: string): "missing" | "directory" | "other" {
  try {
    return Deno.statSync(path).isDirectory ? "directory" : "other";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    throw error;
  }
}

/**
 * Writes and removes a probe file: permission bits alone would miss a read-only mount,
 * and root ignores them.
 */
function requireWritable(folder: string, option: string, shown: string): void {
  try {
    Deno.removeSync(Deno.makeTempFileSync({ dir: folder, prefix: ".write-probe-" }));
  } catch (error) {
    throw new UserError(`cannot write to ${shown}: ${(error as Error).message}`, {
      path: option,
    });
  }
}
