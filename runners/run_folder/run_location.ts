/**
 * Where a run folder sits in a results folder, checked before anything moves or deletes it:
 * only `<results>/<experiment>/<run id>/` or `<results>/.archive/<experiment>/<run id>/`,
 * holding a run's files, reached without a symbolic link out of the results folder. A path
 * given by a person (or a web page) is never trusted further than that.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { UserError } from "../errors.ts";
import { ARCHIVE_DIR, isRunFolder, RUN_FOLDER_FILES, RUN_ID_PATTERN } from "./list_runs.ts";

export interface RunLocation {
  /** the results folder, its real path (no symbolic links) */
  root: string;
  experiment: string;
  runId: string;
  archived: boolean;
  /** the run folder's real path */
  dir: string;
}

/** The run folder `runDir` inside `resultsDir`, or a UserError saying why it is not one. */
export function locateRun(resultsDir: string, runDir: string): RunLocation {
  const root = realFolder(resultsDir, "results folder");
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(runDir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError("no such run folder", { file: runDir });
    }
    throw error;
  }
  if (info.isSymlink) {
    throw new UserError(
      "is a symbolic link: refusing to touch what it points to (name the run folder itself)",
      { file: runDir },
    );
  }
  if (!info.isDirectory) {
    throw new UserError("not a folder (expected a run folder)", { file: runDir });
  }
  const dir = Deno.realPathSync(runDir);
  const inside = relative(root, dir);
  if (inside === "") {
    throw new UserError("is the results folder itself, not a run folder", { file: runDir });
  }
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new UserError(`is outside the results folder ${root} (give --results-dir)`, {
      file: runDir,
    });
  }
  const parts = inside.split(sep);
  const archived = parts[0] === ARCHIVE_DIR;
  const [experiment, runId] = archived ? parts.slice(1) : parts;
  if (parts.length !== (archived ? 3 : 2) || experiment.startsWith(".")) {
    throw new UserError(
      `not a run folder: expected ${join(root, "<experiment>", "<run id>")} ` +
        `(or under ${ARCHIVE_DIR}/), got ${inside}`,
      { file: runDir },
    );
  }
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new UserError(`not a run folder: '${runId}' is not a run id (20261129T081500Z-3f2a1c)`, {
      file: runDir,
    });
  }
  if (!isRunFolder(dir)) {
    throw new UserError(`not a run folder: it holds none of ${RUN_FOLDER_FILES.join(", ")}`, {
      file: runDir,
    });
  }
  return { root, experiment, runId, archived, dir };
}

/** Where a run goes when archived, or comes back to when restored. */
export function archivedPath(location: RunLocation): string {
  return join(location.root, ARCHIVE_DIR, location.experiment, location.runId);
}

export function livePath(location: RunLocation): string {
  return join(location.root, location.experiment, location.runId);
}

/** The real path of an existing folder; `what` names it in the error. */
export function realFolder(dir: string, what: string): string {
  try {
    const real = Deno.realPathSync(dir);
    if (Deno.statSync(real).isDirectory) return real;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UserError(`no such ${what}`, { file: dir });
  }
  throw new UserError(`not a folder (expected the ${what})`, { file: dir });
}
