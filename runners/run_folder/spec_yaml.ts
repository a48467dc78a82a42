import YAML from "yaml";

/**
 * spec.yaml as the runner writes it (`YAML.stringify` of plain data), read fast: the
 * `yaml` package takes ~1 ms per spec, which alone would spend the 2 s budget of
 * comparing 1,000 runs. Anything beyond the simple block subset below falls back to the
 * full parser, so a hand-edited file still reads correctly (only slower).
 */
export function parseSpecYaml(text: string): unknown {
  const simple = readBlockSubset(text);
  return simple === FALLBACK ? YAML.parse(text) : simple;
}

/** A marker for "not in the subset": the caller parses with the full YAML parser. */
export const FALLBACK: unique symbol = Symbol("fallback");

interface Line {
  indent: number;
  /** the line without its indentation */
  body: string;
}

/**
 * The subset: nested block mappings (`key: scalar`, `key:` + a deeper block) and block
 * sequences of scalars (`- scalar`, deeper than their key); keys are plain words;
 * scalars are null, true, false, JSON-style numbers, `[]`, `{}`, plain text that cannot
 * be mistaken for anything else, and double-quoted strings without escapes. Any other
 * line (comments, anchors, folded or quoted-escaped text, flow content, tabs) is
 * FALLBACK. Exported for tests.
 */
export function readBlockSubset(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    const body = raw.trimStart();
    lines.push({ indent: raw.length - body.length, body: body.trimEnd() });
  }
  if (lines.length === 0 || lines[0].indent !== 0) return FALLBACK;
  const cursor = { next: 0 };
  const value = readMapping(lines, cursor, 0);
  return cursor.next === lines.length ? value : FALLBACK;
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;

function readMapping(
  lines: Line[],
  cursor: { next: number },
  indent: number,
): Record<string, unknown> | typeof FALLBACK {
  const out: Record<string, unknown> = {};
  while (cursor.next < lines.length && lines[cursor.next].indent === indent) {
    const match = lines[cursor.next].body.match(KEY_LINE);
    if (!match || Object.hasOwn(out, match[1]) || match[1] === "__proto__") return FALLBACK;
    cursor.next++;
    let value: unknown;
    if (match[2] !== undefined) value = readScalar(match[2]);
    else {
      const child = lines[cursor.next];
      if (!child || child.indent <= indent) value = null;
      else if (child.body.startsWith("- ")) value = readSequence(lines, cursor, child.indent);
      else value = readMapping(lines, cursor, child.indent);
    }
    if (value === FALLBACK) return FALLBACK;
    out[match[1]] = value;
  }
  // A line deeper than this mapping, not opened by a `key:` line, is outside the subset.
  if (cursor.next < lines.length && lines[cursor.next].indent > indent) return FALLBACK;
  return out;
}

function readSequence(
  lines: Line[],
  cursor: { next: number },
  indent: number,
): unknown[] | typeof FALLBACK {
  const out: unknown[] = [];
  while (cursor.next < lines.length && lines[cursor.next].indent === indent) {
    const { body } = lines[cursor.next];
    if (!body.startsWith("- ")) return FALLBACK;
    const value = readScalar(body.slice(2));
    if (value === FALLBACK) return FALLBACK;
    out.push(value);
    cursor.next++;
  }
  if (cursor.next < lines.length && lines[cursor.next].indent > indent) return FALLBACK;
  return out;
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
/**
 * Plain text no YAML reader takes for anything but a string: a letter first, and no
 * `:` or `#` (mapping and comment indicators), quotes at the start, or brackets.
 */
const WORD = /^[A-Za-z][A-Za-z0-9_./,()'+=@%!&* -]*$/;
const KEYWORDS = new Set([
  "null",
  "Null",
  "NULL",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
]);
const QUOTED = /^"([^"\\]*)"$/;

function readScalar(text: string): unknown {
  if (text === "null") return null;
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "[]") return [];
  if (text === "{}") return {};
  if (NUMBER.test(text)) return Number(text);
  if (WORD.test(text) && !KEYWORDS.has(text)) return text;
  const quoted = text.match(QUOTED);
  return quoted ? quoted[1] : FALLBACK;
}
