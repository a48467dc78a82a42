import { join } from "node:path";
import { decodeTable } from "../cache/arrow_io.ts";
import { UserError } from "../errors.ts";
import { parsePartKey, type PartKey, partKeyOfFile, perUserFileName } from "./part_key.ts";
import { fileExists } from "../path_exists.ts";

/** per_user_<part>.arrow of a run: each metric's value per user (NaN: user not evaluated). */
export interface PerUserValues {
  file: string;
  userId: Int32Array;
  /**
   * The fold each row belongs to, when the values pool the folds of a k-fold run (a user
   * is scored once per fold); absent for a single part.
   */
  fold?: Int32Array;
  metrics: Map<string, Float64Array>;
}

export function perUserFile(runDir: string, part: string): string {
  return join(runDir, perUserFileName(parsePartKey(part)));
}

/** The held-out parts (test, dev, test_fold1, ...) a run folder holds per-user values for. */
export function perUserParts(runDir: string): PartKey[] {
  const parts: PartKey[] = [];
  for (const entry of Deno.readDirSync(runDir)) {
    const key = entry.isFile ? partKeyOfFile(entry.name) : undefined;
    if (key) parts.push(key);
  }
  return parts;
}

/**
 * A part's per-user values. For a k-fold run, `test` (the mean over folds in metrics.json)
 * reads every fold's values, each row tagged with its fold, so paired tests pair a user's
 * values fold by fold.
 */
export function readPerUserValues(runDir: string, part: string): PerUserValues {
  const key = parsePartKey(part);
  const file = perUserFile(runDir, part);
  if (key.fold === undefined && !fileExists(file)) {
    const folds = perUserParts(runDir).filter((k) => k.part === key.part && k.fold !== undefined)
      .sort((a, b) => a.fold! - b.fold!);
    if (folds.length) return pooledFolds(runDir, folds, file);
  }
  return readPerUserFile(file, part);
}

function pooledFolds(runDir: string, folds: PartKey[], file: string): PerUserValues {
  const tables = folds.map((k) => readPerUserFile(join(runDir, perUserFileName(k)), k.part));
  const rows = tables.reduce((n, t) => n + t.userId.length, 0);
  const userId = new Int32Array(rows);
  const fold = new Int32Array(rows);
  const metrics = new Map<string, Float64Array>();
  for (const name of tables[0].metrics.keys()) {
    if (tables.every((t) => t.metrics.has(name))) metrics.set(name, new Float64Array(rows));
  }
  let offset = 0;
  tables.forEach((table, i) => {
    userId.set(table.userId, offset);
    fold.fill(folds[i].fold!, offset, offset + table.userId.length);
    for (const [name, values] of metrics) values.set(table.metrics.get(name)!, offset);
    offset += table.userId.length;
  });
  return { file, userId, fold, metrics };
}

/** Reads per_user_<part>.arrow: an Int32 user_id column and numeric metric columns. */
function readPerUserFile(file: string, part: string): PerUserValues {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        "no per-user metric values for paired tests (the run has no ranking metrics on " +
          `'${part}', or predates per-user values)`,
        { file },
      );
    }
    throw error;
  }
  let table;
  try {
    table = decodeTable(bytes);
  } catch (error) {
    throw new UserError(`not a readable Arrow IPC file: ${(error as Error).message}`, { file });
  }
  const userId = table.user_id;
  if (!(userId instanceof Int32Array)) {
    throw new UserError("expected an Int32 column user_id", { file });
  }
  const metrics = new Map<string, Float64Array>();
  for (const [name, column] of Object.entries(table)) {
    if (name === "user_id") continue;
    if (Array.isArray(column)) {
      throw new UserError("expected numeric columns", { file, path: name });
    }
    metrics.set(name, column instanceof Float64Array ? column : Float64Array.from(column));
  }
  return { file, userId, metrics };
}
