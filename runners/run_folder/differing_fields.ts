import { type FlatSpec, paramKey } from "./flatten_spec.ts";

/** Fields that describe a run rather than configure it: never a differing parameter. */
const NOT_PARAMETERS = ["description"];

export interface DifferingOptions {
  /**
   * More fields the caller shows otherwise (the comparison report: `name`, `sweep`); each
   * covers its sub-paths too (`sweep` covers `sweep.grid.k`).
   */
  ignore?: string[];
}

/**
 * The dotted paths whose values are not the same in every spec (a field absent from some
 * specs differs), in order of first appearance; `description` is never one. One pass over
 * the specs: `compare` runs this over thousands of runs.
 */
export function differingFields(specs: FlatSpec[], options: DifferingOptions = {}): string[] {
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
  const ignored = [...NOT_PARAMETERS, ...options.ignore ?? []];
  return seen.filter((path) =>
    differing.has(path) &&
    !ignored.some((field) => path === field || path.startsWith(`${field}.`))
  );
}
