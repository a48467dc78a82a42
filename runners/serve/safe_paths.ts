/**
 * The only way a request names something on disk: an experiment folder, a run folder or a
 * file of a run folder, each checked to be a plain name and to resolve, symbolic links
 * followed, inside the results folder. Anything else is "not found", never read.
 */
import { join, relative, resolve, sep } from "node:path";
import { RUN_ID_PATTERN } from "../compare/load_runs.ts";
import { ARCHIVE_DIR } from "../run_folder/list_runs.ts";

export class NotFound extends Error {}

/** A single path segment: no separators, no NUL, not `.`/`..`, not hidden. */
const NAME = /^[^/\\\0]+$/;

function plainName(name: string): boolean {
  return NAME.test(name) && !name.startsWith(".");
}

/** The real path of the results folder, resolved once per server. */
export function realResultsDir(resultsDir: string): string {
  return Deno.realPathSync(resolve(resultsDir));
}

export function experimentDir(root: string, experiment: string): string {
  if (!plainName(experiment)) throw new NotFound(`no experiment '${experiment}'`);
  return checked(root, join(root, experiment), "directory", `no experiment '${experiment}'`);
}

export function runDir(root: string, experiment: string, id: string): string {
  if (!RUN_ID_PATTERN.test(id)) throw new NotFound(`no run '${id}'`);
  experimentDir(root, experiment);
  return checked(root, join(root, experiment, id), "directory", `no run '${experiment}/${id}'`);
}

/** An archived run folder: `<results>/.archive/<experiment>/<run id>/`. */
export function archivedRunDir(root: string, experiment: string, id: string): string {
  const missing = `no archived run '${experiment}/${id}'`;
  if (!plainName(experiment) || !RUN_ID_PATTERN.test(id)) throw new NotFound(missing);
  return checked(root, join(root, ARCHIVE_DIR, experiment, id), "directory", missing);
}

/** A regular file directly in a run folder (not a link, not in a sub-folder). */
export function runFile(root: string, experiment: string, id: string, name: string): string {
  const dir = runDir(root, experiment, id);
  if (!plainName(name)) throw new NotFound(`no file '${name}'`);
  const path = join(dir, name);
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch {
    throw new NotFound(`no file '${name}'`);
  }
  if (!info.isFile) throw new NotFound(`no file '${name}'`);
  return checked(root, path, "file", `no file '${name}'`);
}

/** The regular files of a run folder, for its download list. */
export function runFiles(dir: string): Array<{ name: string; bytes: number }> {
  const files: Array<{ name: string; bytes: number }> = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.isFile || !plainName(entry.name)) continue;
    files.push({ name: entry.name, bytes: Deno.statSync(join(dir, entry.name)).size });
  }
  return files.sort((a, b) => a.name < b.name ? -1 : 1);
}

function checked(root: string, path: string, kind: "file" | "directory", missing: string) {
  let real: string;
  try {
    real = Deno.realPathSync(path);
  } catch {
    throw new NotFound(missing);
  }
  const rel = relative(root, real);
  if (rel === "" || rel.startsWith("..") || rel.startsWith(sep) || resolve(root, rel) !== real) {
    throw new NotFound(missing);
  }
  const info = Deno.statSync(real);
  if (kind === "file" ? !info.isFile : !info.isDirectory) throw new NotFound(missing);
  return real;
}
