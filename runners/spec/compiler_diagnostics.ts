/**
 * The output of a failed `deno check`, turned into one UserError that leads with the first
 * diagnostic's file:line:col and keeps the compiler's own words (code, message, excerpt).
 */
import { UserError } from "../errors.ts";
import { fromFileUrl } from "../paths.ts";

export interface Diagnostic {
  /** the compiler's message: "TS2322 [ERROR]: …", or a load error, with its source excerpt */
  text: string;
  /** the file it is in (absolute), its 1-based line and column, when the compiler said */
  path?: string;
  line?: number;
  column?: number;
}

/** Lines that are not diagnostics: progress, warning boxes, the summary, a Rust backtrace. */
const NOISE = /^(?:Check |Download |[╭│╰]|Found \d+ errors?\.|error: Type checking failed\.)/;
const BLOCK_START = /^(?:TS\d+ \[ERROR\]: |error: )/;
const AT = /^\s+at (file:\/\/\S+?):(\d+):(\d+)\s*$/;

export function parseDiagnostics(output: string): Diagnostic[] {
  // deno-lint-ignore no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  const diagnostics: Diagnostic[] = [];
  let block: string[] | undefined;
  const close = () => {
    if (block) diagnostics.push(toDiagnostic(block));
    block = undefined;
  };
  for (const line of lines) {
    if (/^Stack backtrace:/.test(line)) break; // RUST_BACKTRACE=1 in the user's shell
    if (NOISE.test(line)) {
      close();
      continue;
    }
    if (BLOCK_START.test(line)) {
      close();
      block = [line];
    } else if (block) block.push(line);
  }
  close();
  return diagnostics;
}

function toDiagnostic(block: string[]): Diagnostic {
  const diagnostic: Diagnostic = { text: "" };
  const kept: string[] = [];
  for (const line of block) {
    const at = line.match(AT);
    if (at && diagnostic.path === undefined) {
      diagnostic.path = fromFileUrl(at[1]);
      diagnostic.line = Number(at[2]);
      diagnostic.column = Number(at[3]);
    } else if (!at) kept.push(line);
  }
  while (kept.length && kept[kept.length - 1].trim() === "") kept.pop();
  // A file that does not parse or load says `error: …`: worded as the import's failure is.
  kept[0] = kept[0].replace(/^error: /, "the TS spec could not be loaded: ");
  diagnostic.text = kept.join("\n");
  return diagnostic;
}

/**
 * The error for a spec that failed its check: the first diagnostic located (in the spec, as
 * the user named it, or in the module it imports), the others below with their own place.
 */
export function typeCheckError(
  output: string,
  spec: { file: string; path: string },
): UserError {
  const diagnostics = parseDiagnostics(output);
  const count = diagnostics.length > 1 ? `${diagnostics.length} errors ` : "";
  const footer = `\n(${count}found by \`deno check\` before anything ran; ` +
    "--no-type-check or RECSYS_TYPE_CHECK=0 runs without the check)";
  if (!diagnostics.length) {
    const text = output.split("\n").filter((l) => l.trim() && !NOISE.test(l)).slice(-20);
    return new UserError(`the type check failed:\n${text.join("\n")}${footer}`, {
      file: spec.file,
    });
  }
  const where = (d: Diagnostic) => (d.path === spec.path ? spec.file : d.path);
  const [first, ...rest] = diagnostics;
  const others = rest.map((d) => {
    const place = d.path ? `${where(d)}:${d.line}:${d.column}: ` : "";
    return `\n${place}${d.text}`;
  });
  return new UserError(first.text + others.join("") + footer, {
    file: first.path ? where(first) : spec.file,
    line: first.line,
    column: first.column,
  });
}
