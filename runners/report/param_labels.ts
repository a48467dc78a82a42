/**
 * How a comparison report names the parameters that tell runs apart, and orders runs by
 * them (legends, colour groups).
 */
import { type FlatSpec, formatParam, type ParamValue } from "../run_folder/flatten_spec.ts";

/** Short names for paths: the last segment when that is unambiguous, else the full path. */
export function shortParamNames(paths: string[]): Map<string, string> {
  const last = (p: string) => p.slice(p.lastIndexOf(".") + 1);
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(last(p), (counts.get(last(p)) ?? 0) + 1);
  return new Map(paths.map((p) => [p, counts.get(last(p))! > 1 ? p : last(p)]));
}

/** Numbers numerically, the rest as text, absent values last: the order legends list runs in. */
export function compareParamValues(a: ParamValue | undefined, b: ParamValue | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return formatParam(a).localeCompare(formatParam(b));
}

/** Compares two flattened specs field by field over `paths`, in that order. */
export function compareParamsBy(paths: string[], a: FlatSpec, b: FlatSpec): number {
  for (const path of paths) {
    const order = compareParamValues(a.get(path), b.get(path));
    if (order !== 0) return order;
  }
  return 0;
}
