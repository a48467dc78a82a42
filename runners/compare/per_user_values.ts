import { join } from "node:path";
import { decodeTable } from "../cache/arrow_io.ts";
import { UserError } from "../errors.ts";

/** per_user_<part>.arrow of a run: each metric's value per user (NaN: user not evaluated). */
export interface PerUserValues {
  file: string;
  userId: Int32Array;
  metrics: Map<string, Float64Array>;
}

export function perUserFile(runDir: string, part: string): string {
  return join(runDir, `per_user_${part}.arrow`);
}

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

/**
 * The users both runs scored on a metric, joined on user_id: `other[i]` and `baseline[i]`
 * belong to one user. Users missing from either run, or NaN in either, are dropped.
 */
export function pairOnUsers(
  baseline: PerUserValues,
  other: PerUserValues,
  metric: string,
): { baseline: Float64Array; other: Float64Array } {
  const baseValues = baseline.metrics.get(metric)!;
  const otherValues = other.metrics.get(metric)!;
  const rowOfUser = new Map<number, number>();
  for (let i = 0; i < baseline.userId.length; i++) {
    if (!Number.isNaN(baseValues[i])) rowOfUser.set(baseline.userId[i], i);
  }
  const pairedBase = new Float64Array(other.userId.length);
  const pairedOther = new Float64Array(pairedBase.length);
  let n = 0;
  for (let j = 0; j < other.userId.length; j++) {
    const value = otherValues[j];
    if (Number.isNaN(value)) continue;
    const i = rowOfUser.get(other.userId[j]);
    if (i === undefined) continue;
    pairedBase[n] = baseValues[i];
    pairedOther[n++] = value;
  }
  return { baseline: pairedBase.subarray(0, n), other: pairedOther.subarray(0, n) };
}
