import { isAbsolute, resolve } from "node:path";
import { projectRoot } from "../paths.ts";
import { pathExists } from "../path_exists.ts";

/**
 * The folder the user typed the command in. `deno task` runs from the folder of deno.json
 * and puts the user's folder in INIT_CWD (as `npm run` does); a plain `deno run` starts in
 * the user's folder. INIT_CWD is trusted only when the process sits in the project root,
 * since a stale one may be inherited from an outer `npm run` or `deno task`.
 */
export function invocationDir(): string {
  const cwd = Deno.cwd();
  const init = Deno.env.get("INIT_CWD");
  return init && samePath(cwd, projectRoot) ? resolve(init) : cwd;
}

function samePath(a: string, b: string): boolean {
  try {
    return Deno.realPathSync(a) === Deno.realPathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/**
 * Where an input path the user gave (a spec, `data.dir`, `data.path`) lives: relative to
 * the invocation folder first, then to the project root. `found` is false when neither
 * holds it; `path` is then the first candidate, and `tried` lists every one for a message.
 */
export function resolveInputPath(path: string): { path: string; found: boolean; tried: string[] } {
  if (isAbsolute(path)) return { path, found: pathExists(path), tried: [path] };
  const tried = [...new Set([resolve(invocationDir(), path), resolve(projectRoot, path)])];
  const hit = tried.find(pathExists);
  return { path: hit ?? tried[0], found: hit !== undefined, tried };
}

/** An output path (`--results-dir`, `--out`): relative to the invocation folder. */
export function resolveOutputPath(path: string): string {
  return resolve(invocationDir(), path);
}

/** `looked in a, b` for messages about a path not found. */
export function triedText(tried: string[]): string {
  return `looked in ${tried.join(" and ")}`;
}
