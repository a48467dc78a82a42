import { basename, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { Metrics } from "../results.ts";
import { parseSpecYaml } from "./spec_yaml.ts";

/** One recorded run, as `compare` sees it. */
export interface RunFolder {
  /** the folder name, e.g. 20261129T081500Z-3f2a1c */
  id: string;
  /** absolute path */
  dir: string;
  /** spec.yaml, parsed */
  spec: Record<string, unknown>;
  /** metrics.json (null values, written for NaN, read back as NaN) */
  metrics: Metrics;
}

/** `20261129T081500Z-<6 hex>`, as `newRunId` writes it. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

const RUN_FILES = ["spec.yaml", "metrics.json"] as const;

/**
 * Resolves `compare`'s arguments into run folders: each path is either a run folder
 * (holds spec.yaml and metrics.json) or an experiment folder (results/<name>/, whose
 * sub-folders named like run ids are its runs; hidden `.<id>.partial` folders of
 * unfinished runs are skipped). A path given twice is read once; the order is the
 * arguments' order, runs of an experiment folder by id (that is, by time).
 */
export function loadRuns(paths: string[]): RunFolder[] {
  if (paths.length === 0) throw new UserError("no run or experiment folder given");
  const dirs: string[] = [];
  for (const path of paths) dirs.push(...runDirsOf(path));
  return [...new Set(dirs)].map(readRun);
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
  if (RUN_FILES.some((file) => names.has(file))) return [dir];
  const runs = entries.filter((e) => e.isDirectory && RUN_ID_PATTERN.test(e.name))
    .map((e) => e.name).sort();
  if (runs.length === 0) {
    const visible = entries.filter((e) => !e.name.startsWith("."));
    throw new UserError(
      visible.length === 0
        ? "empty experiment folder: no run folders in it"
        : "neither a run folder (no spec.yaml, metrics.json) nor an experiment folder " +
          "(no sub-folders named like 20261129T081500Z-3f2a1c)",
      { file: path },
    );
  }
  return runs.map((name) => join(dir, name));
}

function readRun(dir: string): RunFolder {
  const [specText, metricsText] = RUN_FILES.map((file) => {
    try {
      return Deno.readTextFileSync(join(dir, file));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UserError(`not a run folder: ${file} is missing`, { file: dir });
      }
      throw error;
    }
  });
  return {
    id: basename(dir),
    dir,
    spec: parseSpec(specText, join(dir, "spec.yaml")),
    metrics: parseMetrics(metricsText, join(dir, "metrics.json")),
  };
}

function parseSpec(text: string, file: string): Record<string, unknown> {
  let spec: unknown;
  try {
    spec = parseSpecYaml(text);
  } catch (error) {
    throw new UserError(`YAML syntax error: ${(error as Error).message}`, { file });
  }
  if (!isPlainObject(spec)) throw new UserError("expected a mapping (the resolved spec)", { file });
  return spec;
}

function parseMetrics(text: string, file: string): Metrics {
  let metrics: unknown;
  try {
    metrics = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON: ${(error as Error).message}`, { file });
  }
  if (!isPlainObject(metrics)) {
    throw new UserError('expected {"<part>": {"<metric>": value}}', { file });
  }
  const out: Metrics = {};
  for (const [part, values] of Object.entries(metrics)) {
    if (!isPlainObject(values)) {
      throw new UserError("expected an object of metric values", { file, path: part });
    }
    out[part] = {};
    for (const [name, value] of Object.entries(values)) {
      if (value !== null && typeof value !== "number") {
        throw new UserError(`expected a number or null, got ${JSON.stringify(value)}`, {
          file,
          path: `${part}.${name}`,
        });
      }
      out[part][name] = value ?? NaN;
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
