/**
 * The layout of a results folder: `<results>/<experiment>/<run id>/` for runs, and
 * `<results>/.archive/<experiment>/<run id>/` for archived ones. Hidden entries (`.archive`,
 * an experiment's `.sweeps`, a run being written as `.<run id>.partial`) are never runs of
 * an experiment: whoever lists runs skips them, and only gc and `archive --restore` look
 * into the archive.
 */
import { join } from "node:path";

/** `20261129T081500Z-<6 hex>`, as `newRunId` writes it. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** The files that make a folder a run folder (a folder holding either is taken for one). */
export const RUN_FOLDER_FILES = ["spec.json", "metrics.json"];

/** Archived runs, kept out of every listing: `<results>/.archive/<experiment>/<run id>/`. */
export const ARCHIVE_DIR = ".archive";

/** One run folder found in a results folder. */
export interface ListedRun {
  experiment: string;
  runId: string;
  dir: string;
  archived: boolean;
  /** still being written (`.<run id>.partial`); only listed when asked for */
  partial: boolean;
}

export interface ListOptions {
  /** also the runs under `.archive/` */
  archived?: boolean;
  /** also runs still being written (`.<run id>.partial`), as gc must see them */
  partial?: boolean;
}

/**
 * The run folders of a results folder, by experiment then run id (that is, by time).
 * A results folder that does not exist holds no runs.
 */
export function listRunFolders(resultsDir: string, options: ListOptions = {}): ListedRun[] {
  const runs = runsUnder(resultsDir, false, options);
  if (options.archived) runs.push(...runsUnder(join(resultsDir, ARCHIVE_DIR), true, options));
  return runs;
}

/** The experiment folders of a results folder (not hidden ones), sorted. */
export function listExperiments(resultsDir: string): string[] {
  return subfolders(resultsDir).filter((name) => !name.startsWith(".")).sort();
}

/** Whether `dir` holds spec.json or metrics.json. */
export function isRunFolder(dir: string): boolean {
  return RUN_FOLDER_FILES.some((name) => {
    try {
      return Deno.statSync(join(dir, name)).isFile;
    } catch {
      return false;
    }
  });
}

function runsUnder(root: string, archived: boolean, options: ListOptions): ListedRun[] {
  const runs: ListedRun[] = [];
  for (const experiment of listExperiments(root)) {
    const dir = join(root, experiment);
    for (const name of subfolders(dir).sort()) {
      const partial = name.match(/^\.(.+)\.partial$/)?.[1];
      const runId = RUN_ID_PATTERN.test(name) ? name : options.partial ? partial : undefined;
      if (runId === undefined || !RUN_ID_PATTERN.test(runId)) continue;
      runs.push({ experiment, runId, dir: join(dir, name), archived, partial: name !== runId });
    }
  }
  return runs;
}

/** Names of the folders in `dir` (symbolic links to folders are not followed); none if absent. */
function subfolders(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
}
