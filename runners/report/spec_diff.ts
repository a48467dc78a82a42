/**
 * Which spec fields differ between runs: the parameters a comparison plots metrics against.
 * Specs are flattened to dotted paths (`model.factors`); lists are compared as whole values.
 */

export type ParamValue = string | number | boolean | null;

/** Fields that name or describe a run rather than parameterise it. */
const NOT_PARAMETERS = /^(name|description|sweep)(\.|$)/;

export function flattenSpec(spec: unknown, prefix = ""): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  const visit = (value: unknown, path: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, path ? `${path}.${key}` : key);
    } else if (Array.isArray(value)) {
      out.set(path, JSON.stringify(value));
    } else if (
      value === null || typeof value === "string" || typeof value === "number" ||
      typeof value === "boolean"
    ) {
      out.set(path, value);
    } else {
      out.set(path, String(value));
    }
  };
  visit(spec, prefix);
  return out;
}

/**
 * Dotted paths whose value is not the same in every spec (a path missing from some specs
 * counts as differing), in the order they first appear; names and descriptions excluded.
 */
export function differingParams(specs: unknown[]): string[] {
  const flat = specs.map((s) => flattenSpec(s));
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const map of flat) {
    for (const path of map.keys()) {
      if (!seen.has(path)) {
        seen.add(path);
        paths.push(path);
      }
    }
  }
  return paths.filter((path) => {
    if (NOT_PARAMETERS.test(path)) return false;
    const first = flat[0].has(path) ? JSON.stringify(flat[0].get(path)) : undefined;
    return flat.some((map) =>
      (map.has(path) ? JSON.stringify(map.get(path)) : undefined) !== first
    );
  });
}

/** The value at a dotted path, undefined when the path is absent. */
export function paramValue(spec: unknown, path: string): ParamValue | undefined {
  return flattenSpec(spec).get(path);
}

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
  return String(a).localeCompare(String(b));
}

/** Compares two specs field by field over `paths`, in that order. */
export function compareSpecsBy(paths: string[], a: unknown, b: unknown): number {
  const flatA = flattenSpec(a);
  const flatB = flattenSpec(b);
  for (const path of paths) {
    const order = compareParamValues(flatA.get(path), flatB.get(path));
    if (order !== 0) return order;
  }
  return 0;
}
