import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import type { Metrics, RunRecord } from "../results.ts";
import { type Annotations, readAnnotations } from "./annotations.ts";
import { RUN_FOLDER_FILES } from "./list_runs.ts";
import { parseMetricsJson, type Uncertainty } from "./metrics_file.ts";

/** One recorded run folder (results/<experiment>/<run id>/), as `compare` and `report` read it. */
export interface RunFolder {
  /** the folder name, e.g. 20261129T081500Z-3f2a1c */
  id: string;
  /** the folder, as given */
  dir: string;
  /** spec.json: the resolved spec */
  spec: Record<string, unknown>;
  /** spec.yaml as written, when asked for (the run report shows it verbatim) */
  specText?: string;
  /** metrics.json's parts (null values, written for NaN, read back as NaN) */
  metrics: Metrics;
  /**
   * metrics.json's confidence intervals and standard deviations over folds (empty when the
   * run has none; absent in folders built by hand)
   */
  uncertainty?: Uncertainty;
  /** run.json, when asked for and present (folders written by hand may lack it) */
  record?: RunRecord;
  /** tags and note added after the run (annotations.json; none when absent) */
  annotations?: Annotations;
}

export interface ReadRunOptions {
  /**
   * Also read run.json and spec.yaml: the reports show steps, timings and the spec as
   * written; `compare` has no use for them.
   */
  record?: boolean;
  /** With `record`, skip spec.yaml (the results browser indexes thousands of runs). */
  skipSpecText?: boolean;
}

/**
 * Reads a run folder's spec.json and metrics.json (both required), its annotations, and, if
 * asked, run.json and spec.yaml. Synchronous on purpose: `compare` reads a thousand folders, and sync
 * reads of small files are faster than awaiting each. Bad or missing files throw a
 * UserError naming them.
 */
export function readRun(dir: string, options: ReadRunOptions = {}): RunFolder {
  const specFile = join(dir, "spec.json");
  const metricsFile = join(dir, "metrics.json");
  const specJson = requiredText(specFile, dir);
  const metricsText = requiredText(metricsFile, dir);
  const run: RunFolder = {
    id: basename(dir),
    dir,
    spec: parseSpec(specJson, specFile),
    ...parseMetricsJson(metricsText, metricsFile),
    annotations: readAnnotations(dir),
  };
  if (options.record) {
    run.record = readRecord(join(dir, "run.json"));
    if (!options.skipSpecText) run.specText = optionalText(join(dir, "spec.yaml"));
  }
  return run;
}

export { RUN_FOLDER_FILES };

function requiredText(file: string, dir: string): string {
  const text = optionalText(file);
  if (text === undefined) {
    const name = basename(file);
    const hint = name === "spec.json" ? " (run folders written before spec.json: re-run them)" : "";
    throw new UserError(`not a run folder: ${name} is missing${hint}`, { file: dir });
  }
  return text;
}

function optionalText(file: string): string | undefined {
  try {
    return Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function parseSpec(text: string, file: string): Record<string, unknown> {
  const spec = parseJson(text, file);
  if (!isPlainObject(spec)) throw new UserError("expected an object (the resolved spec)", { file });
  return spec;
}

/** run.json as the runner writes it; undefined when the folder has none. */
function readRecord(file: string): RunRecord | undefined {
  const text = optionalText(file);
  if (text === undefined) return undefined;
  const record = parseJson(text, file);
  if (!isPlainObject(record)) throw new UserError("expected an object (the run record)", { file });
  return record as unknown as RunRecord;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON: ${(error as Error).message}`, { file });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
