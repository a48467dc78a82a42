import { isAbsolute } from "node:path";
import { z } from "zod";
import { didYouMean, UserError } from "../errors.ts";
import { modelTypes } from "../../models/registry.ts";
import { applyOverrides, type Override } from "./overrides.ts";
import { type Experiment, experimentSchema } from "./schema.ts";
import { importTsSpec, lineOf, readYaml, type YamlSource } from "./spec_source.ts";
import { type TypeCheckOptions, typeCheckSpec } from "./type_check.ts";
import { resolveInputPath, triedText } from "./user_paths.ts";

/** A validated spec and where it came from. */
export interface LoadedSpec {
  spec: Experiment;
  file: string;
  /**
   * The same error, located in this spec: a problem found after validation (by the planner
   * or a step) names a field path only; this adds the file and, for YAML, the line.
   */
  locate(error: UserError): UserError;
}

/**
 * Reads a YAML or TS spec, applies `--set` overrides, validates and fills defaults. A
 * relative `file` is looked for in the user's folder, then in the project root; so are the
 * relative data paths inside (`data.dir`, `data.path`, `model.model_dir`), which come out
 * absolute. With `typeCheck`, a TS spec is type-checked (type_check.ts) before it is imported.
 */
export async function loadSpec(
  file: string,
  overrides: Override[] = [],
  options: { typeCheck?: TypeCheckOptions } = {},
): Promise<LoadedSpec> {
  const where = resolveInputPath(file);
  if (!where.found) {
    const tried = isAbsolute(file) ? "" : ` (${triedText(where.tried)})`;
    throw new UserError(`spec file not found${tried}`, { file });
  }
  const path = where.path;
  let source: YamlSource | undefined;
  let raw: unknown;
  if (/\.(ts|js|mts|mjs)$/.test(path)) {
    if (options.typeCheck && /\.m?ts$/.test(path)) {
      await typeCheckSpec(file, path, options.typeCheck);
    }
    raw = await importTsSpec(file, path);
  } else {
    source = readYaml(file, path);
    raw = source.value;
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError("a spec must be a mapping of fields (name, data, split, model, ...)", {
      file,
    });
  }
  const plain = plainCopy(raw, file);
  applyOverrides(plain, overrides);
  checkModelType(plain, file, source);
  const result = experimentSchema().safeParse(plain);
  if (!result.success) throw specError(result.error, file, source, overrides, plain);
  const locate = (error: UserError) => locateError(error, file, source, overrides);
  resolveDataPaths(result.data, locate);
  return { spec: result.data, file, locate };
}

/** Validates an in-memory spec (the API path, e.g. `runExperiment(defineExperiment(...))`). */
export function validateSpec(raw: unknown, label = "<spec>"): Experiment {
  const plain = plainCopy(raw, label);
  checkModelType(plain, label, undefined);
  const result = experimentSchema().safeParse(plain);
  if (!result.success) throw specError(result.error, label, undefined, [], plain);
  return result.data;
}

/** A deep copy the overrides may edit; a function or class instance is not spec data. */
function plainCopy(raw: unknown, file: string): Record<string, unknown> {
  try {
    return structuredClone(raw) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(
      `a spec holds plain data only (no functions or class instances): ${(error as Error).message}`,
      { file },
    );
  }
}

/**
 * Relative data paths, found from the user's folder or the project root, made absolute: a
 * run then reads the same files whatever folder a later `check` or sweep trial starts in.
 */
function resolveDataPaths(spec: Experiment, locate: (error: UserError) => UserError): void {
  const fields: Array<[string, { [key: string]: unknown }, string]> = [
    ["data.dir", spec.data, "dir"],
    ["data.path", spec.data, "path"],
    ["model.model_dir", spec.model, "model_dir"],
  ];
  for (const [field, holder, key] of fields) {
    const value = holder[key];
    if (typeof value !== "string" || isAbsolute(value)) continue;
    const where = resolveInputPath(value);
    if (!where.found) {
      throw locate(
        new UserError(`'${value}' not found (${triedText(where.tried)})`, { path: field }),
      );
    }
    holder[key] = where.path;
  }
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
    const value = getIn(source?.value, path);
    const hint = typeof value === "string"
      ? didYouMean(value, (issue.values as unknown[]).map(String))
      : undefined;
    message = `${issue.message}${hint ? ` (did you mean '${hint}'?)` : ""}`;
  }
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : "";
  const dotted = fieldPath.join(".");
  return locateError(
    new UserError(message + more, { path: dotted || undefined }),
    file,
    source,
    overrides,
  );
}

/**
 * Adds the spec file, and the line of the field (YAML), to an error that names a field
 * path only; a field set on the command line is said to come from its `--set` instead.
 */
function locateError(
  error: UserError,
  file: string,
  source: YamlSource | undefined,
  overrides: Override[],
): UserError {
  const path = error.location.path;
  // Already located, or about the command line (`--set`, `$RECSYS_RESULTS`), not the spec.
  if (error.location.file !== undefined || /^[-$]/.test(path ?? "")) return error;
  const fromOverride = path === undefined ? undefined : overrides.find((o) => {
    const set = o.path.join(".");
    return path === set || path.startsWith(`${set}.`);
  });
  return new UserError(error.message + (fromOverride ? ` (from --set ${fromOverride.text})` : ""), {
    ...error.location,
    file,
    line: fromOverride || path === undefined ? undefined : lineOf(source, path.split(".")),
  });
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
