import { basename, join } from "node:path";
import YAML from "yaml";
import { DataError } from "../../data/data_error.ts";
import { decodeTable } from "../cache/arrow_io.ts";
import { UserError } from "../errors.ts";
import type { Metrics, RunRecord } from "../results.ts";
import type { Table } from "../table.ts";

/** What every report needs of a run folder: its spec, metrics and run record. */
export interface RunSummary {
  dir: string;
  spec: Record<string, unknown>;
  specText: string;
  metrics: Metrics;
  /** run.json; absent in folders written by hand */
  record?: RunRecord;
}

/** learning_curves.csv: one row per (part, epoch), one column per curve (null = blank). */
export interface LearningCurves {
  curves: string[];
  part: string[];
  epoch: Int32Array;
  /** curve name -> value per row */
  values: Record<string, Float64Array>;
}

/** Everything a run report draws. */
export interface RunFolder extends RunSummary {
  curves?: LearningCurves;
  /** held-out part (test, dev, ...) -> per_user_<part>.arrow */
  perUser: Record<string, Table>;
  /** catalogue.arrow: anime_id, train_count, recommended */
  catalogue?: Table;
  /** predictions.csv of score regressions */
  predictions?: { score: Float64Array; predicted: Float64Array };
}

export async function readRunSummary(dir: string): Promise<RunSummary> {
  const specFile = join(dir, "spec.yaml");
  const metricsFile = join(dir, "metrics.json");
  const specText = await readText(specFile, dir);
  const metricsText = await readText(metricsFile, dir);
  const spec = parseYaml(specText, specFile);
  const metrics = parseJson(metricsText, metricsFile) as Metrics;
  if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) {
    throw new DataError("expected an object part -> metric -> value", metricsFile);
  }
  const recordText = await optionalText(join(dir, "run.json"));
  const record = recordText === undefined
    ? undefined
    : parseJson(recordText, join(dir, "run.json")) as RunRecord;
  return { dir, spec, specText, metrics, record };
}

export async function readRunFolder(dir: string): Promise<RunFolder> {
  const summary = await readRunSummary(dir);
  const perUser: Record<string, Table> = {};
  for await (const entry of Deno.readDir(dir)) {
    const part = entry.name.match(/^per_user_(.+)\.arrow$/)?.[1];
    if (part) perUser[part] = await readArrow(join(dir, entry.name));
  }
  const catalogueFile = join(dir, "catalogue.arrow");
  const curvesText = await optionalText(join(dir, "learning_curves.csv"));
  const predictionsText = await optionalText(join(dir, "predictions.csv"));
  return {
    ...summary,
    perUser: Object.fromEntries(Object.entries(perUser).sort(([a], [b]) => partOrder(a, b))),
    catalogue: await exists(catalogueFile) ? await readArrow(catalogueFile) : undefined,
    curves: curvesText === undefined
      ? undefined
      : parseLearningCurves(curvesText, join(dir, "learning_curves.csv")),
    predictions: predictionsText === undefined
      ? undefined
      : parsePredictions(predictionsText, join(dir, "predictions.csv")),
  };
}

/** test first, then dev, then the rest (folds) by name: the order tables use. */
export function partOrder(a: string, b: string): number {
  const rank = (p: string) => (p === "test" ? 0 : p === "dev" ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function parseLearningCurves(text: string, file: string): LearningCurves {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0]?.split(",") ?? [];
  if (header[0] !== "part" || header[1] !== "epoch" || header.length < 3) {
    throw new DataError("expected the header part,epoch,<curve>...", file, 1);
  }
  const curves = header.slice(2);
  const rows = lines.length - 1;
  const part: string[] = new Array(rows);
  const epoch = new Int32Array(rows);
  const values: Record<string, Float64Array> = {};
  for (const name of curves) values[name] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(",");
    part[r] = cells[0];
    epoch[r] = number(cells[1], file, r + 2, "epoch");
    for (let c = 0; c < curves.length; c++) {
      const cell = cells[c + 2] ?? "";
      values[curves[c]][r] = cell === "" ? NaN : number(cell, file, r + 2, curves[c]);
    }
  }
  return { curves, part, epoch, values };
}

export function parsePredictions(
  text: string,
  file: string,
): { score: Float64Array; predicted: Float64Array } {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0]?.split(",") ?? [];
  const scoreColumn = header.indexOf("score");
  const predictedColumn = header.indexOf("pred_score");
  if (scoreColumn < 0 || predictedColumn < 0) {
    throw new DataError("expected the columns score and pred_score", file, 1);
  }
  const rows = lines.length - 1;
  const score = new Float64Array(rows);
  const predicted = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(",");
    score[r] = number(cells[scoreColumn], file, r + 2, "score");
    predicted[r] = number(cells[predictedColumn], file, r + 2, "pred_score");
  }
  return { score, predicted };
}

function number(cell: string | undefined, file: string, line: number, field: string): number {
  const value = Number(cell);
  if (cell === undefined || cell.trim() === "" || Number.isNaN(value)) {
    throw new DataError(`${field}: not a number: '${cell ?? ""}'`, file, line, field);
  }
  return value;
}

async function readText(file: string, dir: string): Promise<string> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`not a run folder: ${basename(file)} is missing`, { file: dir });
    }
    throw error;
  }
}

async function optionalText(file: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function readArrow(file: string): Promise<Table> {
  try {
    return decodeTable(await Deno.readFile(file));
  } catch (error) {
    throw new DataError(
      `not a readable Arrow IPC file (${error instanceof Error ? error.message : error})`,
      file,
    );
  }
}

function parseYaml(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (error) {
    throw new DataError(`invalid YAML (${error instanceof Error ? error.message : error})`, file);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DataError("expected a mapping (the resolved spec)", file);
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(`invalid JSON (${error instanceof Error ? error.message : error})`, file);
  }
}
