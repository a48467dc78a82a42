/**
 * The results folder in memory, for the browser: every run folder read once through the
 * run-folder module, kept until its folder changes. A request costs a stat of the results
 * folder and of each experiment folder (a run added or removed changes it); run folders
 * themselves (a tag or note written from outside changes their mtime) are looked at again at
 * most once a second, and the server's own actions refresh their run at once. Only what
 * changed is read again; `version` changes whenever anything did.
 */
import { join } from "node:path";
import { RUN_ID_PATTERN } from "../compare/load_runs.ts";
import { type FlatSpec, flattenSpec } from "../run_folder/flatten_spec.ts";
import { readRun } from "../run_folder/read_run.ts";
import type { Interval } from "../uncertainty/bootstrap.ts";

/** One run as the tables show it: flattened spec, metrics by `<part>.<metric>`, summary. */
export interface IndexedRun {
  experiment: string;
  id: string;
  dir: string;
  params: FlatSpec;
  metrics: Map<string, number>;
  ci: Map<string, Interval>;
  /** ok: spec, metrics and run.json read; no record: run.json missing; unreadable: see error */
  status: "ok" | "no record" | "unreadable";
  error?: string;
  started?: string;
  seconds?: number;
  git: { commit: string | null; dirty: boolean | null };
  tags: string[];
  note: string;
}

interface Folder {
  mtime: number;
}

interface ExperimentEntry extends Folder {
  runs: Map<string, IndexedRun & Folder>;
  /** when the run folders' mtimes were last looked at (performance.now()) */
  checked: number;
}

/** 10,000 stats cost ~0.1 s: a page every few hundred ms should not pay that each time. */
const RUN_RECHECK_MS = 1000;

export class ResultsIndex {
  private rootMtime = -1;
  private readonly experimentsByName = new Map<string, ExperimentEntry>();
  /** bumped on every change seen: derived tables cached by the caller key on it */
  version = 0;

  constructor(readonly resultsDir: string) {}

  /** Experiment folder names, sorted. */
  experiments(): string[] {
    this.refreshRoot();
    return [...this.experimentsByName.keys()].sort();
  }

  /** The runs of one experiment (or of all), oldest first within each experiment. */
  runs(experiment?: string): IndexedRun[] {
    const names = experiment === undefined ? this.experiments() : [experiment];
    if (experiment !== undefined) this.refreshRoot();
    const out: IndexedRun[] = [];
    for (const name of names) {
      const entry = this.refreshExperiment(name);
      if (entry) out.push(...[...entry.runs.values()].sort((a, b) => a.id < b.id ? -1 : 1));
    }
    return out;
  }

  run(experiment: string, id: string): IndexedRun | undefined {
    this.refreshRoot();
    return this.refreshExperiment(experiment)?.runs.get(id);
  }

  /** After an action on a run: read it again (or drop it) now, not at the next look. */
  invalidate(experiment: string, id: string): void {
    const entry = this.experimentsByName.get(experiment);
    if (!entry) return;
    this.version++;
    const dir = join(this.resultsDir, experiment);
    if (mtimeOf(join(dir, id)) === -1) entry.runs.delete(id);
    else entry.runs.set(id, readIndexed(experiment, dir, id));
  }

  private refreshRoot(): void {
    const mtime = mtimeOf(this.resultsDir);
    if (mtime === this.rootMtime) return;
    this.rootMtime = mtime;
    this.version++;
    const present = new Set<string>();
    for (const entry of readDir(this.resultsDir)) {
      if (entry.isDirectory && !entry.name.startsWith(".")) present.add(entry.name);
    }
    for (const name of [...this.experimentsByName.keys()]) {
      if (!present.has(name)) this.experimentsByName.delete(name);
    }
    for (const name of present) {
      if (!this.experimentsByName.has(name)) {
        this.experimentsByName.set(name, { mtime: -1, runs: new Map(), checked: -Infinity });
      }
    }
  }

  private refreshExperiment(name: string): ExperimentEntry | undefined {
    const entry = this.experimentsByName.get(name);
    if (!entry) return undefined;
    const dir = join(this.resultsDir, name);
    const mtime = mtimeOf(dir);
    if (mtime !== entry.mtime) {
      entry.mtime = mtime;
      this.version++;
      const ids = new Set(
        readDir(dir).filter((e) => e.isDirectory && RUN_ID_PATTERN.test(e.name)).map((e) => e.name),
      );
      for (const id of [...entry.runs.keys()]) if (!ids.has(id)) entry.runs.delete(id);
      for (const id of ids) if (!entry.runs.has(id)) entry.runs.set(id, readIndexed(name, dir, id));
    }
    // A tag or note rewrites a file inside the run folder: its mtime says so.
    if (performance.now() - entry.checked < RUN_RECHECK_MS) return entry;
    for (const [id, run] of entry.runs) {
      const runMtime = mtimeOf(run.dir);
      if (runMtime === run.mtime) continue;
      this.version++;
      if (runMtime === -1) entry.runs.delete(id);
      else entry.runs.set(id, readIndexed(name, dir, id));
    }
    entry.checked = performance.now();
    return entry;
  }
}

function readIndexed(experiment: string, experimentDir: string, id: string): IndexedRun & Folder {
  const dir = join(experimentDir, id);
  const mtime = mtimeOf(dir);
  const base = { experiment, id, dir, mtime, git: { commit: null, dirty: null } };
  try {
    const run = readRun(dir, { record: true, skipSpecText: true });
    const record = run.record;
    return {
      ...base,
      tags: run.annotations?.tags ?? [],
      note: run.annotations?.note ?? "",
      params: flattenSpec(run.spec),
      metrics: byColumn(run.metrics),
      ci: byColumn(run.uncertainty?.ci ?? {}),
      status: record ? "ok" : "no record",
      started: record?.started,
      seconds: record?.seconds,
      git: record?.environment?.git ?? base.git,
    };
  } catch (error) {
    return {
      ...base,
      tags: [],
      note: "",
      params: new Map(),
      metrics: new Map(),
      ci: new Map(),
      status: "unreadable",
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** part -> metric -> value as one map keyed `<part>.<metric>`, as `compare` names columns. */
function byColumn<T>(parts: Record<string, Record<string, T>>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [part, values] of Object.entries(parts)) {
    for (const [name, value] of Object.entries(values)) out.set(`${part}.${name}`, value);
  }
  return out;
}

function mtimeOf(path: string): number {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return -1;
    throw error;
  }
}

function readDir(dir: string): Deno.DirEntry[] {
  try {
    return [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}
