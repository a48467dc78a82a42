/** A spec field's value: a scalar, or a list/empty mapping kept whole. */
export type ParamValue = string | number | boolean | null | unknown[] | Record<string, never>;

/** Fields never shown as columns: they describe a run rather than configure it. */
const NOT_PARAMETERS = new Set(["description"]);

/**
 * A spec as dotted paths to leaf values (`model.k` -> 10). Lists are leaves: `evaluate.on`
 * is one parameter, not one per position, so runs with lists of different lengths still
 * line up.
 */
export function flattenSpec(spec: Record<string, unknown>): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
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

/** A canonical text of a value, for equality across runs (key order of lists kept). */
export function paramKey(value: ParamValue | undefined): string {
  return value === undefined ? "\u0000absent" : JSON.stringify(value);
}

/**
 * The parameter paths whose values are not the same in every run (a field absent from
 * some runs differs), in order of first appearance; `description` is never one.
 */
export function differingParams(specs: Map<string, ParamValue>[]): string[] {
  const first = new Map<string, string>();
  const differing = new Set<string>();
  const seen: string[] = [];
  for (const [index, spec] of specs.entries()) {
    for (const [path, value] of spec) {
      const key = paramKey(value);
      const known = first.get(path);
      if (known === undefined) {
        first.set(path, key);
        seen.push(path);
        if (index > 0) differing.add(path);
      } else if (known !== key) differing.add(path);
    }
    if (spec.size !== first.size) {
      for (const path of seen) if (!spec.has(path)) differing.add(path);
    }
  }
  return seen.filter((path) => differing.has(path) && !NOT_PARAMETERS.has(path));
}

/** A value as a table cell: lists as `[a, b]`, null as `null`. */
export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map((v) => formatParam(v as ParamValue)).join(", ")}]`;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}
