import YAML from "yaml";
import { UserError } from "../errors.ts";
import { type Override, parseOverride } from "../spec/overrides.ts";

/** A field swept over a list of values, in the order the user gave them. */
export interface GridAxis {
  path: string[];
  values: unknown[];
  /** where it was written, for messages: `sweep.grid.model.k` or `--set model.k=5,10` */
  source: string;
}

/**
 * Sorts a sweep's `--set` arguments: `a.b=v` is a fixed override, `a.b=v1,v2,...` (a comma
 * outside brackets and quotes) a grid axis. Each value is parsed as a YAML scalar, as `run`
 * parses its `--set`; quote a string that holds a comma (`description="a, b"`).
 */
export function splitSetArguments(texts: string[]): { fixed: Override[]; axes: GridAxis[] } {
  const fixed: Override[] = [];
  const axes: GridAxis[] = [];
  for (const text of texts) {
    const eq = text.indexOf("=");
    const raw = eq > 0 ? text.slice(eq + 1) : "";
    const parts = splitTopLevelCommas(raw);
    if (parts.length === 1) {
      fixed.push(parseOverride(text));
      continue;
    }
    const name = text.slice(0, eq);
    const values = parts.map((part) => {
      if (part.trim() === "") {
        throw new UserError(`empty value in the list '${raw}'`, { path: `--set ${text}` });
      }
      return parseOverride(`${name}=${part}`).value;
    });
    axes.push({ path: name.split("."), values, source: `--set ${text}` });
  }
  return { fixed, axes };
}

/** Splits at commas that are not inside [...], {...} or quotes. */
export function splitTopLevelCommas(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The `--set path=value` override that makes a worker process see exactly `value`: YAML flow
 * text when it parses back to the same value, JSON otherwise.
 */
export function overrideFor(path: string[], value: unknown): Override {
  const name = path.join(".");
  for (const text of [yamlFlow(value), JSON.stringify(value)]) {
    if (text === undefined) continue;
    const override = parseOverride(`${name}=${text}`);
    if (sameValue(override.value, value)) return override;
  }
  throw new UserError(`value ${String(value)} cannot be passed on the command line`, {
    path: name,
  });
}

function yamlFlow(value: unknown): string | undefined {
  try {
    return YAML.stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trimEnd();
  } catch {
    return undefined;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}
