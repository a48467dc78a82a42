/**
 * metrics.json, read and written in one place. Point values stay where every reader has
 * always found them (`{"test": {"ndcg@10": 0.1}}`); what is known of their uncertainty sits
 * beside them under two reserved keys that are never part names:
 *
 * - `"ci": {"test": {"ndcg@10": [0.098, 0.102]}}`: 95% bootstrap intervals over users;
 * - `"std": {"test": {"rmse": 0.004}}`: the standard deviation over the folds of a k-fold
 *   run, beside the mean under `test`.
 *
 * NaN (nothing to score) is written as null and read back as NaN, in values and bounds.
 */
import { UserError } from "../errors.ts";
import type { Metrics } from "../results.ts";
import type { Interval } from "../uncertainty/bootstrap.ts";

/** part -> metric -> confidence interval */
export type Intervals = Record<string, Record<string, Interval>>;

/** What metrics.json says about the spread of its values (each may be empty). */
export interface Uncertainty {
  ci: Intervals;
  /** part -> metric -> standard deviation over folds */
  std: Metrics;
}

export interface MetricsFile {
  metrics: Metrics;
  uncertainty: Uncertainty;
}

/** The keys of metrics.json that are not parts. */
export const UNCERTAINTY_KEYS = ["ci", "std"] as const;

export const noUncertainty = (): Uncertainty => ({ ci: {}, std: {} });

/** metrics.json's text: the parts first, then `ci` and `std` when they hold anything. */
export function metricsJson(metrics: Metrics, uncertainty: Uncertainty = noUncertainty()): string {
  const out: Record<string, unknown> = { ...metrics };
  if (Object.keys(uncertainty.ci).length) out.ci = uncertainty.ci;
  if (Object.keys(uncertainty.std).length) out.std = uncertainty.std;
  // JSON.stringify writes NaN as null, which is what readers expect; an interval's two
  // bounds stay on one line.
  return JSON.stringify(out, null, 2).replace(
    /\[\n\s+([^\s,]+),\n\s+([^\s,]+)\n\s+\]/g,
    "[$1, $2]",
  ) + "\n";
}

/** Parses metrics.json; a malformed entry is a UserError naming the file and the field. */
export function parseMetricsJson(text: string, file: string): MetricsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON: ${(error as Error).message}`, { file });
  }
  if (!isPlainObject(parsed)) {
    throw new UserError('expected {"<part>": {"<metric>": value}}', { file });
  }
  const metrics: Metrics = {};
  const uncertainty = noUncertainty();
  for (const [key, values] of Object.entries(parsed)) {
    if (key === "ci") uncertainty.ci = readIntervals(values, file);
    else if (key === "std") uncertainty.std = readValues(values, file, "std");
    else metrics[key] = readPart(values, file, key);
  }
  return { metrics, uncertainty };
}

function readValues(values: unknown, file: string, key: string): Metrics {
  if (!isPlainObject(values)) {
    throw new UserError('expected {"<part>": {"<metric>": value}}', { file, path: key });
  }
  const out: Metrics = {};
  for (const [part, entry] of Object.entries(values)) {
    out[part] = readPart(entry, file, `${key}.${part}`);
  }
  return out;
}

function readPart(values: unknown, file: string, path: string): Record<string, number> {
  if (!isPlainObject(values)) {
    throw new UserError("expected an object of metric values", { file, path });
  }
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = readNumber(value, file, `${path}.${name}`);
  }
  return out;
}

function readIntervals(values: unknown, file: string): Intervals {
  if (!isPlainObject(values)) {
    throw new UserError('expected {"<part>": {"<metric>": [low, high]}}', { file, path: "ci" });
  }
  const out: Intervals = {};
  for (const [part, entry] of Object.entries(values)) {
    if (!isPlainObject(entry)) {
      throw new UserError("expected an object of intervals", { file, path: `ci.${part}` });
    }
    out[part] = {};
    for (const [name, bounds] of Object.entries(entry)) {
      const path = `ci.${part}.${name}`;
      if (!Array.isArray(bounds) || bounds.length !== 2) {
        throw new UserError(`expected [low, high], got ${JSON.stringify(bounds)}`, {
          file,
          path,
        });
      }
      out[part][name] = [readNumber(bounds[0], file, path), readNumber(bounds[1], file, path)];
    }
  }
  return out;
}

function readNumber(value: unknown, file: string, path: string): number {
  if (value !== null && typeof value !== "number") {
    throw new UserError(`expected a number or null, got ${JSON.stringify(value)}`, { file, path });
  }
  return value ?? NaN;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
