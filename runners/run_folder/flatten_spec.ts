/**
 * A spec as dotted paths to leaf values (`model.k` -> 10): how `compare` and the comparison
 * report line up runs' specs field by field.
 */

/** A spec field's value: a scalar, or a list/empty mapping kept whole. */
export type ParamValue = string | number | boolean | null | unknown[] | Record<string, never>;

/** A flattened spec: dotted path -> value, in the spec's key order. */
export type FlatSpec = Map<string, ParamValue>;

/**
 * Lists are leaves: `evaluate.on` is one parameter, not one per position, so runs with lists
 * of different lengths still line up. An empty mapping is a leaf `{}`, so `sweep: {}` and
 * `sweep: null` tell apart.
 */
export function flattenSpec(spec: Record<string, unknown>): FlatSpec {
  const out: FlatSpec = new Map();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix + key;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        if (Object.keys(value).length) walk(value as Record<string, unknown>, path + ".");
        else out.set(path, {});
      } else out.set(path, value as ParamValue);
    }
  };
  walk(spec, "");
  return out;
}

/** A canonical text of a value, for equality across runs (order of lists kept). */
export function paramKey(value: ParamValue | undefined): string {
  return value === undefined ? "\u0000absent" : JSON.stringify(value);
}

/** A value as text for people: lists as `[a, b]`, null as `null`, absent as empty. */
export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map((v) => formatParam(v as ParamValue)).join(", ")}]`;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}
