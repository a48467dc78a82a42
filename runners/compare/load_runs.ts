import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { RUN_FOLDER_FILES, RUN_ID_PATTERN } from "../run_folder/list_runs.ts";
import { readRun, type RunFolder } from "../run_folder/read_run.ts";

export { RUN_ID_PATTERN };

/**
 * Resolves `compare`'s arguments into run folders: each path is either a run folder
 * (holds spec.json and metrics.json) or an experiment folder (results/<name>/, whose
 * sub-folders named like run ids are its runs; hidden `.<id>.partial` folders of
 * unfinished runs are skipped). A path given twice is read once; the order is the
 * arguments' order, runs of an experiment folder by id (that is, by time); each run's
 * `dir` is absolute.
 */
export function loadRuns(paths: string[]): RunFolder[] {
  if (paths.length === 0) throw new UserError("no run or experiment folder given");
  const dirs: string[] = [];
  for (const path of paths) dirs.push(...runDirsOf(path));
  return [...new Set(dirs)].map((dir) => readRun(dir));
}

/** The run folders a path stands for (itself, or its runs if an experiment folder). */
function runDirsOf(path: string): string[] {
  const dir = resolve(path);
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError("no such run or experiment folder", { file: path });
    }
    if (error instanceof Deno.errors.NotADirectory || !Deno.statSync(dir).isDirectory) {
      throw new UserError("not a folder (expected a run or an experiment folder)", { file: path });
    }
    throw error;
  }
  const names = new Set(entries.map((e) => e.name));
  if (RUN_FOLDER_FILES.some((file) => names.has(file))) return [dir];
  const runs = entries.filter((e) => e.isDirectory && RUN_ID_PATTERN.test(e.name))
    .map((e) => e.name).sort();
  if (runs.length === 0) {
    const visible = entries.filter((e) => !e.name.startsWith("."));
    throw new UserError(
      visible.length === 0
        ? "empty experiment folder: no run folders in it"
        : `neither a run folder (no ${RUN_FOLDER_FILES.join(", ")}) nor an experiment folder ` +
          "(no sub-folders named like 20261129T081500Z-3f2a1c)",
      { file: path },
    );
  }
  return runs.map((name) => join(dir, name));
}
