import YAML from "yaml";
import { UserError } from "../errors.ts";

/** One `--set a.b=value` override: a dotted path and a value parsed as a YAML scalar. */
export interface Override {
  path: string[];
  value: unknown;
  text: string;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf("=");
  if (eq <= 0) {
    throw new UserError(`expected --set path.to.field=value, got '${text}'`, { path: "--set" });
  }
  const path = text.slice(0, eq).split(".");
  if (path.some((part) => part === "")) {
    throw new UserError(`empty segment in path '${text.slice(0, eq)}'`, { path: "--set" });
  }
  let value: unknown;
  try {
    value = YAML.parse(text.slice(eq + 1));
  } catch (error) {
    throw new UserError(`value of '${text}' is not valid YAML: ${(error as Error).message}`, {
      path: "--set",
    });
  }
  return { path, value, text };
}

/** Applies overrides to a plain spec object in place, creating objects along the path. */
export function applyOverrides(spec: Record<string, unknown>, overrides: Override[]): void {
  for (const { path, value } of overrides) {
    let node: Record<string, unknown> = spec;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === undefined || next === null) node[key] = {};
      else if (typeof next !== "object" || Array.isArray(next)) {
        throw new UserError(`cannot set a field inside '${key}', which is not a mapping`, {
          path: path.join("."),
        });
      }
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
}
