/**
 * The actions the results browser calls (tag, note, archive, delete, gc), with the exact
 * signatures of the action library built on branch s3-gc (runners/run_folder/annotations.ts
 * and runners/cache/gc.ts). Until that branch is merged this file stands in for it; once it
 * is, the whole file becomes:
 *
 *   export * from "../run_folder/annotations.ts";
 *   export { collectGarbage, type GcReport } from "../cache/gc.ts";
 *
 * The stand-in keeps the same on-disk choices small and obvious: `annotations.json` in the
 * run folder, archived runs under `<results>/<experiment>/.archive/<run id>/` (hidden, so no
 * reader lists them as runs).
 */
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";

export interface Annotations {
  tags: string[];
  note: string;
}

export interface GcReport {
  dryRun: boolean;
  removed: Array<{ path: string; bytes: number }>;
  bytes: number;
}

const FILE = "annotations.json";
const TAG = /^[\w.@:+-]{1,64}$/;

export function readAnnotations(runDir: string): Annotations {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(join(runDir, FILE)));
    return {
      tags: Array.isArray(parsed.tags) ? parsed.tags.map(String) : [],
      note: typeof parsed.note === "string" ? parsed.note : "",
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { tags: [], note: "" };
    throw new UserError(`unreadable annotations: ${(error as Error).message}`, {
      file: join(runDir, FILE),
    });
  }
}

export function addTags(runDir: string, tags: string[]): Annotations {
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new UserError(`a tag is 1-64 letters, digits or . @ : + - _; got '${tag}'`, {
        path: "tag",
      });
    }
  }
  const current = readAnnotations(runDir);
  return write(runDir, { ...current, tags: [...new Set([...current.tags, ...tags])] });
}

export function removeTags(runDir: string, tags: string[]): Annotations {
  const current = readAnnotations(runDir);
  return write(runDir, { ...current, tags: current.tags.filter((t) => !tags.includes(t)) });
}

export function setNote(runDir: string, note: string): Annotations {
  return write(runDir, { ...readAnnotations(runDir), note });
}

export function archiveRun(resultsDir: string, runDir: string): string {
  const target = join(dirname(runDir), ".archive", basename(runDir));
  inside(resultsDir, runDir);
  Deno.mkdirSync(dirname(target), { recursive: true });
  Deno.renameSync(runDir, target);
  return target;
}

export function unarchiveRun(resultsDir: string, runDir: string): string {
  inside(resultsDir, runDir);
  const target = join(dirname(dirname(runDir)), basename(runDir));
  Deno.renameSync(runDir, target);
  return target;
}

export function deleteRun(resultsDir: string, runDir: string): void {
  inside(resultsDir, runDir);
  Deno.removeSync(runDir, { recursive: true });
}

export function collectGarbage(
  _options: { cacheDir: string; resultsDirs: string[]; dryRun: boolean },
): Promise<GcReport> {
  return Promise.reject(
    new UserError("cache gc arrives with the action library (branch s3-gc)"),
  );
}

/** Written to a temporary name and renamed: a reader never sees half a file. */
function write(runDir: string, annotations: Annotations): Annotations {
  const temporary = join(runDir, `.${FILE}.${crypto.randomUUID()}.tmp`);
  Deno.writeTextFileSync(temporary, JSON.stringify(annotations, null, 2) + "\n");
  Deno.renameSync(temporary, join(runDir, FILE));
  return annotations;
}

function inside(resultsDir: string, runDir: string): void {
  const rel = relative(resolve(resultsDir), resolve(runDir));
  if (rel === "" || rel.startsWith("..") || rel.split(sep).length < 2) {
    throw new UserError("not a run folder of the results folder", { file: runDir });
  }
}
