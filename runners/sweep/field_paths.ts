import { didYouMean, UserError } from "../errors.ts";
import { experimentSchema } from "../spec/schema.ts";

// Zod's internals are walked by their runtime shape; they have no public type for this.
// deno-lint-ignore no-explicit-any
type AnySchema = any;

/** An object schema's fields, with the spec's value there (to pick a union's branch). */
interface Level {
  shape: Record<string, AnySchema>;
  value: unknown;
}

/**
 * Checks that a swept dotted path names a field of the spec schema. A field of another
 * variant (`model.lr` when the spec's model is toppop) passes here, since a trial may
 * change `model.type` too; validating each trial's spec catches the rest. Suggestions and
 * the list of known fields come from the variant the spec selects. `source` says where the
 * path was written: `sweep.grid.<path>`, `sweep.random.<path>` or `--set <text>`.
 */
export function checkSweptPath(path: string[], spec: unknown, file: string, source: string) {
  const dotted = path.join(".");
  const fail = (message: string): never => {
    const fromSet = source.startsWith("--set");
    throw new UserError(fromSet ? `${message} (from ${source})` : message, {
      file,
      path: fromSet ? dotted : source,
    });
  };
  if (path[0] === "sweep") fail(`cannot sweep over the sweep block itself ('${dotted}')`);
  let nodes: Array<{ schema: AnySchema; value: unknown }> = [{
    schema: experimentSchema(),
    value: spec,
  }];
  for (let depth = 0; depth < path.length; depth++) {
    const parent = path.slice(0, depth).join(".");
    const key = path[depth];
    const every = nodes.flatMap((n) => levelsOf(n.schema, n.value, false));
    if (!every.length) fail(`'${parent}' is not a mapping, so '${dotted}' does not exist`);
    const next = every.filter((level) => level.shape[key]);
    if (!next.length) {
      const selected = nodes.flatMap((n) => levelsOf(n.schema, n.value, true));
      const known = [...new Set(selected.flatMap((level) => Object.keys(level.shape)))];
      const hint = didYouMean(key, known) ??
        didYouMean(key, new Set(every.flatMap((level) => Object.keys(level.shape))));
      const suggestion = hint
        ? [...path.slice(0, depth), hint, ...path.slice(depth + 1)].join(".")
        : undefined;
      fail(
        `no field '${dotted}' in the spec${suggestion ? ` (did you mean '${suggestion}'?)` : ""}` +
          `; known fields${parent ? ` of ${parent}` : ""}: ${known.join(", ")}`,
      );
    }
    nodes = next.map((level) => ({
      schema: level.shape[key],
      value: (level.value as Record<string, unknown> | null | undefined)?.[key],
    }));
  }
}

/**
 * The object schemas behind a schema, through defaults, nullables and preprocessing. For a
 * discriminated union: every branch, or with `selected` only the one the value's tag names
 * (all of them when the value has no tag).
 */
function levelsOf(schema: AnySchema, value: unknown, selected: boolean): Level[] {
  if (!schema) return [];
  if (schema.shape) return [{ shape: schema.shape, value }];
  const def = schema.def;
  if (def?.innerType) return levelsOf(def.innerType, value, selected);
  if (def?.type === "pipe") return levelsOf(def.out, value, selected);
  if (def?.type !== "union") return [];
  const tag = def.discriminator
    ? (value as Record<string, unknown> | null | undefined)?.[def.discriminator]
    : undefined;
  const options: AnySchema[] = def.options;
  const chosen = selected && tag !== undefined
    ? options.filter((o) => o.shape?.[def.discriminator]?.value === tag)
    : options;
  return chosen.flatMap((o) => levelsOf(o, value, selected));
}
