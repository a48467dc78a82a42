/**
 * A spec file's source: YAML parsed with line positions (for messages that point at a field)
 * and guarded against alias bombs, or a TS module imported with its failures made readable.
 */
import YAML, { type Document, isAlias, isMap, isSeq, LineCounter } from "yaml";
import { UserError } from "../errors.ts";
import { toFileUrl } from "../paths.ts";

/**
 * YAML aliases expanded at most this many times: `&a [*b, *b, ...]` chains grow
 * exponentially (a "billion laughs" file), so an expansion this large is refused.
 */
export const MAX_YAML_ALIASES = 100;

export interface YamlSource {
  doc: Document;
  lines: LineCounter;
  /** the document as plain data */
  value: unknown;
}

export function readYaml(file: string, path: string): YamlSource {
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
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The yaml package throws a ReferenceError for an excessive expansion; say it plainly.
    throw new UserError(
      `YAML aliases expand too far (over ${MAX_YAML_ALIASES} copies; an "alias bomb"?): ` +
        (error as Error).message,
      { file, line: firstAliasLine(doc, lines) },
    );
  }
  return { doc, lines, value };
}

function firstAliasLine(doc: Document, lines: LineCounter): number | undefined {
  let line: number | undefined;
  YAML.visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) line = lines.linePos(node.range[0]).line;
      return YAML.visit.BREAK;
    },
  });
  return line;
}

export async function importTsSpec(file: string, path: string): Promise<unknown> {
  const url = toFileUrl(path).href;
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    // A syntax error, a failed import or an exception at the top level of the spec.
    const text = stripAnsi(
      error instanceof Error ? `${error.message}\n${error.stack}` : `${error}`,
    );
    const at = text.match(new RegExp(`${escapeRegExp(url)}:(\\d+):(\\d+)`));
    const message = stripAnsi(error instanceof Error ? error.message : String(error))
      .split("\n")[0].replace(/^(TypeError: )?/, "");
    throw new UserError(`the TS spec could not be loaded: ${message}`, {
      file,
      line: at ? Number(at[1]) : undefined,
      column: at ? Number(at[2]) : undefined,
    });
  }
  if (!("default" in module)) {
    throw new UserError("a TS spec must `export default defineExperiment({...})`", { file });
  }
  return module.default;
}

function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The 1-based line of the node at `path` (or of its nearest existing ancestor). */
export function lineOf(source: YamlSource | undefined, path: string[]): number | undefined {
  if (!source) return undefined;
  for (let depth = path.length; depth >= 1; depth--) {
    const parent = depth === 1
      ? source.doc.contents
      : source.doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    if (isSeq(parent)) {
      const range = (parent.items[Number(key)] as { range?: [number, number] } | undefined)?.range;
      if (range) return source.lines.linePos(range[0]).line;
      continue;
    }
    if (!isMap(parent)) continue;
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    const range = (pair?.key as { range?: [number, number] } | null)?.range;
    if (range) return source.lines.linePos(range[0]).line;
  }
  return undefined;
}
