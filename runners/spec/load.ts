import { isAbsolute, resolve } from "node:path";
import { toFileUrl } from "../paths.ts";
import YAML, { type Document, isMap, LineCounter } from "yaml";
import { z } from "zod";
import { didYouMean, UserError } from "../errors.ts";
import { modelTypes } from "../../models/registry.ts";
import { applyOverrides, type Override } from "./overrides.ts";
import { type Experiment, experimentSchema } from "./schema.ts";

/** A validated spec and where it came from. */
export interface LoadedSpec {
  spec: Experiment;
  file: string;
}

/** Reads a YAML or TS spec, applies `--set` overrides, validates and fills defaults. */
export async function loadSpec(file: string, overrides: Override[] = []): Promise<LoadedSpec> {
  const path = isAbsolute(file) ? file : resolve(file);
  let source: YamlSource | undefined;
  let raw: unknown;
  if (/\.(ts|js|mts|mjs)$/.test(path)) {
    raw = await importTsSpec(file, path);
  } else {
    source = readYaml(file, path);
    raw = source.doc.toJS();
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError("a spec must be a mapping of fields (name, data, split, model, ...)", {
      file,
    });
  }
  const plain = structuredClone(raw) as Record<string, unknown>;
  applyOverrides(plain, overrides);
  checkModelType(plain, file, source);
  const result = experimentSchema().safeParse(plain);
  if (!result.success) throw specError(result.error, file, source, overrides, plain);
  return { spec: result.data, file };
}

/** Validates an in-memory spec (the API path, e.g. `runExperiment(defineExperiment(...))`). */
export function validateSpec(raw: unknown, label = "<spec>"): Experiment {
  const plain = structuredClone(raw) as Record<string, unknown>;
  checkModelType(plain, label, undefined);
  const result = experimentSchema().safeParse(plain);
  if (!result.success) throw specError(result.error, label, undefined, [], plain);
  return result.data;
}

interface YamlSource {
  doc: Document;
  lines: LineCounter;
}

function readYaml(file: string, path: string): YamlSource {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError("spec file not found", { file });
    }
    throw new UserError(`cannot read spec: ${(error as Error).message}`, { file });
  }
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const pos = lines.linePos(problem.pos[0]);
    throw new UserError(`YAML syntax error: ${problem.message.split("\n")[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  return { doc, lines };
}

async function importTsSpec(file: string, path: string): Promise<unknown> {
  try {
    Deno.statSync(path);
  } catch {
    throw new UserError("spec file not found", { file });
  }
  const module = await import(toFileUrl(path).href);
  if (!("default" in module)) {
    throw new UserError("a TS spec must `export default defineExperiment({...})`", { file });
  }
  return module.default;
}

/** An unknown model type gets its own message: the union error would list every variant. */
function checkModelType(plain: Record<string, unknown>, file: string, source?: YamlSource) {
  const model = plain.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== "object") return;
  const type = model.type;
  const types = modelTypes();
  if (typeof type === "string" && !types.includes(type)) {
    const hint = didYouMean(type, types);
    throw new UserError(
      `unknown model type '${type}'${hint ? ` (did you mean '${hint}'?)` : ""}; known: ${
        types.join(", ")
      }`,
      { file, path: "model.type", line: lineOf(source, ["model", "type"]) },
    );
  }
}

function specError(
  error: z.ZodError,
  file: string,
  source: YamlSource | undefined,
  overrides: Override[],
  plain: Record<string, unknown>,
): UserError {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  let message = issue.message;
  let fieldPath = path;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    fieldPath = [...path, key];
    const known = knownKeys(path, plain);
    const hint = didYouMean(key, known);
    message = `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}` +
      (known.length ? `; known fields: ${known.join(", ")}` : "");
  } else if (issue.code === "invalid_value" && "values" in issue) {
    const value = getIn(source?.doc.toJS(), path);
    const hint = typeof value === "string"
      ? didYouMean(value, (issue.values as unknown[]).map(String))
      : undefined;
    message = `${issue.message}${hint ? ` (did you mean '${hint}'?)` : ""}`;
  }
  const dotted = fieldPath.join(".");
  const fromOverride = overrides.find((o) => dotted.startsWith(o.path.join(".")));
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : "";
  return new UserError(
    message + (fromOverride ? ` (from --set ${fromOverride.text})` : "") + more,
    {
      file,
      path: dotted || undefined,
      line: fromOverride ? undefined : lineOf(source, fieldPath),
    },
  );
}

/** The field names the schema accepts at `path`, for did-you-mean. */
function knownKeys(path: string[], plain: Record<string, unknown>): string[] {
  // deno-lint-ignore no-explicit-any
  let schema: any = experimentSchema();
  let value: unknown = plain;
  for (const key of path) {
    schema = unwrap(schema, value);
    schema = schema?.shape?.[key];
    value = (value as Record<string, unknown> | undefined)?.[key];
    if (!schema) return [];
  }
  schema = unwrap(schema, value);
  return schema?.shape ? Object.keys(schema.shape) : [];
}

/**
 * The object schema behind defaults, preprocessing and discriminated unions (the branch
 * the value selects, e.g. the model of `model.type` or the split of `split.method`).
 */
// deno-lint-ignore no-explicit-any
function unwrap(schema: any, value: unknown): any {
  for (;;) {
    if (!schema || schema.shape) return schema;
    const def = schema.def;
    if (def?.innerType) schema = def.innerType;
    else if (def?.type === "pipe") schema = def.out;
    else if (def?.discriminator && Array.isArray(def.options)) {
      const tag = (value as Record<string, unknown> | undefined)?.[def.discriminator];
      // Without a tag the first branch is the default one (split: per_user).
      schema = tag === undefined
        ? def.options[0]
        // deno-lint-ignore no-explicit-any
        : def.options.find((o: any) => o.shape?.[def.discriminator]?.value === tag);
    } else return undefined;
  }
}

function getIn(value: unknown, path: string[]): unknown {
  let node = value as Record<string, unknown> | undefined;
  for (const key of path) {
    if (!node || typeof node !== "object") return undefined;
    node = node[key] as Record<string, unknown>;
  }
  return node;
}

/** The 1-based line of the node at `path` (or of its nearest existing ancestor). */
function lineOf(source: YamlSource | undefined, path: string[]): number | undefined {
  if (!source) return undefined;
  for (let depth = path.length; depth >= 1; depth--) {
    const parent = depth === 1
      ? source.doc.contents
      : source.doc.getIn(path.slice(0, depth - 1), true);
    if (!isMap(parent)) continue;
    const key = path[depth - 1];
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    const range = (pair?.key as { range?: [number, number] } | null)?.range;
    if (range) return source.lines.linePos(range[0]).line;
  }
  return undefined;
}
