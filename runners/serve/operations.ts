/**
 * What the pages and the JSON API both do, once: summaries, a page of runs, a comparison,
 * the actions. Each takes the server's context and plain arguments and returns data; the
 * callers only format it.
 */
import { UserError } from "../errors.ts";
import { compareRuns } from "../compare/compare_command.ts";
import type { CompareReport } from "../compare/cells.ts";
import { readRun } from "../run_folder/read_run.ts";
import * as actions from "./actions.ts";
import {
  DEFAULT_METRIC,
  type ExperimentSummary,
  summarizeExperiment,
} from "./pages/experiments_page.ts";
import type { ResultsIndex } from "./results_index.ts";
import { type Memo, queryRuns, type RunsPage, type RunsQuery } from "./runs_query.ts";
import { listRunFolders } from "../run_folder/list_runs.ts";
import { archivedRunDir, experimentDir, runDir } from "./safe_paths.ts";
import type { SlurmFollowers } from "./slurm_followers.ts";
import { listSweeps } from "./sweeps.ts";

export interface ServerContext {
  /** the results folder's real path: every path served is checked to lie inside it */
  root: string;
  index: ResultsIndex;
  /** the cache the runs of this results folder use (for gc) */
  cacheDir: string;
  /** tables derived from the index (filtered, sorted), valid for one index version */
  derived: { version: number; values: Map<string, unknown> };
  /** the pollers of Slurm sweeps someone is looking at */
  followers: SlurmFollowers;
}

export function experimentSummaries(
  ctx: ServerContext,
  metric = DEFAULT_METRIC,
): ExperimentSummary[] {
  return ctx.index.experiments().map((name) =>
    summarizeExperiment(name, ctx.index.runs(name), metric, listSweeps(ctx.root, name).length)
  );
}

export function runsOf(ctx: ServerContext, experiment: string | undefined, query: RunsQuery) {
  if (experiment !== undefined) experimentDir(ctx.root, experiment);
  const runs = ctx.index.runs(experiment);
  if (ctx.derived.version !== ctx.index.version) {
    ctx.derived = { version: ctx.index.version, values: new Map() };
  }
  const values = ctx.derived.values;
  // Few distinct queries are live at once; a flood of new ones must not grow memory.
  if (values.size > 64) values.clear();
  const memo: Memo = (key, compute) => {
    const full = `${experiment ?? "*"} ${key}`;
    if (!values.has(full)) values.set(full, compute());
    return values.get(full) as ReturnType<typeof compute>;
  };
  return queryRuns(runs, query, memo) satisfies RunsPage;
}

export interface RunRef {
  experiment: string;
  id: string;
}

/** `toppop/20261129T081500Z-3f2a1c` -> its parts; bad text is a UserError naming it. */
export function parseRunRef(text: string, what = "run"): RunRef {
  const slash = text.lastIndexOf("/");
  if (slash <= 0) {
    throw new UserError(`expected <experiment>/<run id>, got '${text}'`, { path: what });
  }
  return { experiment: text.slice(0, slash), id: text.slice(slash + 1) };
}

/** `compare` over the chosen runs, with paired tests against the baseline. */
export async function compareSelected(
  ctx: ServerContext,
  refs: RunRef[],
  baseline: RunRef,
  part: string,
): Promise<{ report: CompareReport; dirs: string[] }> {
  if (refs.length < 2) throw new UserError("choose at least two runs to compare", { path: "run" });
  const dirs = refs.map((r) => runDir(ctx.root, r.experiment, r.id));
  const baselineDir = runDir(ctx.root, baseline.experiment, baseline.id);
  try {
    const report = await compareRuns(dirs, { baseline: baselineDir, part, allowMixed: true });
    return { report, dirs };
  } catch (error) {
    // Runs without per-user values still compare, without tests; the page says why.
    if (!(error instanceof UserError)) throw error;
    const report = await compareRuns([baselineDir, ...dirs.filter((d) => d !== baselineDir)], {
      allowMixed: true,
    });
    report.paired = [];
    report.notes.push(`No paired tests: ${error.describe()}`);
    return { report, dirs };
  }
}

/** The run folders of a comparison, read with their records (for the charts). */
export function readCompared(dirs: string[]) {
  return dirs.map((dir) => readRun(dir, { record: true, skipSpecText: true }));
}

export type RunAction =
  | { kind: "tags"; add?: string[]; remove?: string[] }
  | { kind: "note"; note: string }
  | { kind: "archive" }
  | { kind: "delete" };

/** Runs an action on a run folder through the action library; returns what remains. */
export async function applyAction(ctx: ServerContext, ref: RunRef, action: RunAction) {
  const dir = runDir(ctx.root, ref.experiment, ref.id);
  try {
    return await runAction(ctx, dir, action);
  } finally {
    ctx.index.invalidate(ref.experiment, ref.id);
  }
}

async function runAction(ctx: ServerContext, dir: string, action: RunAction) {
  switch (action.kind) {
    case "tags":
      if (action.add?.length) await actions.addTags(dir, action.add);
      if (action.remove?.length) await actions.removeTags(dir, action.remove);
      return { annotations: await actions.readAnnotations(dir) };
    case "note":
      await actions.setNote(dir, action.note);
      return { annotations: await actions.readAnnotations(dir) };
    case "archive":
      await actions.archiveRun(ctx.root, dir);
      return { archived: true };
    case "delete":
      await actions.deleteRun(ctx.root, dir);
      return { deleted: true };
  }
}

/** The archived runs (`<results>/.archive/`), by experiment then run id. */
export function archivedRuns(ctx: ServerContext): RunRef[] {
  return listRunFolders(ctx.root, { archived: true }).filter((run) => run.archived)
    .map((run) => ({ experiment: run.experiment, id: run.runId }));
}

/** Moves an archived run back, as `archive --restore` does (the same library function). */
export function restoreRun(ctx: ServerContext, ref: RunRef) {
  const dir = archivedRunDir(ctx.root, ref.experiment, ref.id);
  try {
    return { restored: actions.unarchiveRun(ctx.root, dir).to };
  } finally {
    ctx.index.invalidate(ref.experiment, ref.id);
  }
}

/**
 * `gc` of the cache against this results folder: with dryRun, what it would remove;
 * `keepCheckpoints` as `--keep-checkpoints`.
 */
export function garbage(ctx: ServerContext, dryRun: boolean, keepCheckpoints = false) {
  return actions.collectGarbage({
    cacheDir: ctx.cacheDir,
    resultsDirs: [ctx.root],
    dryRun,
    keepCheckpoints,
  });
}
