/**
 * Archiving and deleting runs. An archived run moves whole to
 * `<results>/.archive/<experiment>/<run id>/`, out of every listing (compare, sweeps' resume,
 * the results browser) but still a run: gc keeps what it references and `unarchiveRun` puts
 * it back. Deleting is for good. Both refuse anything `locateRun` does not accept as a run
 * folder of the results folder.
 */
import { dirname, join, relative } from "node:path";
import { UserError } from "../errors.ts";
import { ARCHIVE_DIR, RUN_ID_PATTERN } from "./list_runs.ts";
import { archivedPath, livePath, locateRun, realFolder } from "./run_location.ts";

/** A run that moved: where it was, where it is now. */
export interface MovedRun {
  from: string;
  to: string;
}

/** Moves a run into the archive. */
export function archiveRun(resultsDir: string, runDir: string): MovedRun {
  return move(archiveMove(resultsDir, runDir));
}

/**
 * Moves an archived run back. `runDir` is the archived folder, or the place the run had
 * before it was archived (`results/<experiment>/<run id>`).
 */
export function unarchiveRun(resultsDir: string, runDir: string): MovedRun {
  return move(restoreMove(resultsDir, runDir));
}

/** Where `archiveRun` would move the run, after every check it makes; nothing moves. */
export function archiveMove(resultsDir: string, runDir: string): MovedRun {
  const location = locateRun(resultsDir, runDir);
  if (location.archived) throw new UserError("is already archived", { file: runDir });
  return vacant({ from: location.dir, to: archivedPath(location) });
}

/** Where `unarchiveRun` would move the run, after every check it makes; nothing moves. */
export function restoreMove(resultsDir: string, runDir: string): MovedRun {
  const location = locateRun(resultsDir, archivedFolderOf(resultsDir, runDir));
  if (!location.archived) throw new UserError("is not archived", { file: runDir });
  return vacant({ from: location.dir, to: livePath(location) });
}

/**
 * Deletes a run folder (live or archived) for good. It is first renamed to a hidden name,
 * so no reader ever sees half a run; then removed. Returns the folder it deleted.
 */
export function deleteRun(resultsDir: string, runDir: string): string {
  const { dir, runId } = locateRun(resultsDir, runDir);
  const doomed = join(dirname(dir), `.${runId}.deleting-${crypto.randomUUID().slice(0, 8)}`);
  Deno.renameSync(dir, doomed);
  Deno.removeSync(doomed, { recursive: true });
  return dir;
}

/** `runDir` itself if it exists; else its twin in the archive, for a live path given. */
function archivedFolderOf(resultsDir: string, runDir: string): string {
  try {
    Deno.lstatSync(runDir);
    return runDir;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const root = realFolder(resultsDir, "results folder");
  let parent: string;
  try {
    parent = Deno.realPathSync(dirname(runDir));
  } catch {
    throw new UserError("no such run folder", { file: runDir });
  }
  const inside = relative(root, join(parent, runDir.split(/[\\/]/).pop()!)).split(/[\\/]/);
  if (inside.length === 2 && !inside[0].startsWith(".") && RUN_ID_PATTERN.test(inside[1])) {
    return join(root, ARCHIVE_DIR, ...inside);
  }
  throw new UserError("no such run folder", { file: runDir });
}

/** The move, if nothing is in its way. */
function vacant(move: MovedRun): MovedRun {
  try {
    Deno.lstatSync(move.to);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return move;
    throw error;
  }
  throw new UserError(`${move.to} already exists: refusing to replace it`, { file: move.from });
}

/** Makes a move planned by archiveMove or restoreMove (checked again: things change). */
export function move({ from, to }: MovedRun): MovedRun {
  vacant({ from, to });
  Deno.mkdirSync(dirname(to), { recursive: true });
  Deno.renameSync(from, to);
  return { from, to };
}
