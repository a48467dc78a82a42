import { join } from "node:path";
import { DataError } from "../../data/data_error.ts";
import { decodeTable } from "../cache/arrow_io.ts";
import { comparePartKeys, partKeyText } from "../run_folder/part_key.ts";
import {
  perUserParts,
  type PerUserValues,
  readPerUserValues,
} from "../run_folder/per_user_values.ts";
import { readRun, type RunFolder } from "../run_folder/read_run.ts";
import type { Table } from "../table.ts";

/** learning_curves.csv: one row per (part, epoch), one column per curve (null = blank). */
export interface LearningCurves {
  curves: string[];
  part: string[];
  epoch: Int32Array;
  /** curve name -> value per row */
  values: Record<string, Float64Array>;
}

/**
 * Everything a run report draws: the run folder (spec, metrics, run.json) and the optional
 * files beyond it.
 */
export interface RunReportData extends RunFolder {
  curves?: LearningCurves;
  /** held-out part (test, dev, ...) -> per_user_<part>.arrow, in table order */
  perUser: Record<string, PerUserValues>;
  /** catalogue.arrow: anime_id, train_count, recommended */
  catalogue?: Table;
  /** predictions.csv of score regressions */
  predictions?: { score: Float64Array; predicted: Float64Array };
}

export function readRunReportData(dir: string): RunReportData {
  const run = readRun(dir, { record: true });
  const parts = perUserParts(dir).sort(comparePartKeys).map(partKeyText);
  const curvesFile = join(dir, "learning_curves.csv");
  const curvesText = optionalText(curvesFile);
  const predictionsFile = join(dir, "predictions.csv");
  const predictionsText = optionalText(predictionsFile);
  return {
    ...run,
    perUser: Object.fromEntries(parts.map((part) => [part, readPerUserValues(dir, part)])),
    catalogue: optionalArrow(join(dir, "catalogue.arrow")),
    curves: curvesText === undefined ? undefined : parseLearningCurves(curvesText, curvesFile),
    predictions: predictionsText === undefined
      ? undefined
      : parsePredictions(predictionsText, predictionsFile),
  };
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

function optionalText(file: string): string | undefined {
  try {
    return Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** An Arrow IPC file, or undefined when the folder has none. */
function optionalArrow(file: string): Table | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return decodeTable(bytes);
  } catch (error) {
    throw new DataError(
      `not a readable Arrow IPC file (${error instanceof Error ? error.message : error})`,
      file,
    );
  }
}
