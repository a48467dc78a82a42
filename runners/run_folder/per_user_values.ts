import { join } from "node:path";
import { decodeTable } from "../cache/arrow_io.ts";
import { UserError } from "../errors.ts";

/** per_user_<part>.arrow of a run: each metric's value per user (NaN: user not evaluated). */
export interface PerUserValues {
  file: string;
  userId: Int32Array;
  metrics: Map<string, Float64Array>;
}

const PER_USER_FILE = /^per_user_(.+)\.arrow$/;

export function perUserFile(runDir: string, part: string): string {
  return join(runDir, `per_user_${part}.arrow`);
}

/** The held-out parts (test, dev, fold names) a run folder holds per-user values for. */
export function perUserParts(runDir: string): string[] {
  const parts: string[] = [];
  for (const entry of Deno.readDirSync(runDir)) {
    const part = entry.isFile ? entry.name.match(PER_USER_FILE)?.[1] : undefined;
    if (part) parts.push(part);
  }
  return parts;
}

/** Reads per_user_<part>.arrow: an Int32 user_id column and numeric metric columns. */
export function readPerUserValues(runDir: string, part: string): PerUserValues {
  const file = perUserFile(runDir, part);
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
