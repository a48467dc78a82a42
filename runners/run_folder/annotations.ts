/**
 * A run's tags and note, for people browsing results: `annotations.json` in the run folder.
 * It is written after the run and is not among run.json's recorded checksums (`files`), so
 * tagging a run never makes `check` report the folder as changed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { RUN_FOLDER_FILES } from "./list_runs.ts";

export const ANNOTATIONS_FILE = "annotations.json";

export interface Annotations {
  /** in the order they were added, each once */
  tags: string[];
  /** free text; "" when there is none */
  note: string;
}

/** A tag: a word people type on a command line and in `--filter tag=<tag>`. */
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:+@/-]{0,63}$/;
/** Long enough for a paragraph of findings, short enough to list thousands of runs. */
export const MAX_NOTE_CHARS = 10_000;

/**
 * The run's annotations; none (no tags, empty note) when the file is absent. Synchronous,
 * like every run-folder read: readRun reads a thousand folders in one go.
 */
export function readAnnotations(runDir: string): Annotations {
  const file = join(runDir, ANNOTATIONS_FILE);
  // Most runs have none: asking costs a quarter of a failed read (no exception is thrown),
  // which `compare` of a thousand runs notices.
  if (!existsSync(file)) return { tags: [], note: "" };
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { tags: [], note: "" };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON: ${(error as Error).message}`, { file });
  }
  const { tags, note } = (parsed ?? {}) as Record<string, unknown>;
  const tagList = tags ?? [];
  if (!Array.isArray(tagList) || !tagList.every((t) => typeof t === "string")) {
    throw new UserError("expected a list of strings", { file, path: "tags" });
  }
  if (note !== undefined && typeof note !== "string") {
    throw new UserError("expected a string", { file, path: "note" });
  }
  return { tags: tagList, note: note ?? "" };
}

/** Adds tags the run lacks (given order, each once); returns the annotations as stored. */
export function addTags(runDir: string, tags: string[]): Annotations {
  checkTags(tags);
  return update(runDir, (current) => ({
    ...current,
    tags: [...new Set([...current.tags, ...tags])],
  }));
}

/** Removes the given tags (absent ones are ignored); returns the annotations as stored. */
export function removeTags(runDir: string, tags: string[]): Annotations {
  checkTags(tags);
  const drop = new Set(tags);
  return update(runDir, (current) => ({
    ...current,
    tags: current.tags.filter((t) => !drop.has(t)),
  }));
}

/** Replaces the note ("" clears it); returns the annotations as stored. */
export function setNote(runDir: string, note: string): Annotations {
  if (typeof note !== "string") throw new UserError("a note is text", { path: "note" });
  if (note.length > MAX_NOTE_CHARS) {
    throw new UserError(
      `a note holds at most ${MAX_NOTE_CHARS} characters, got ${note.length}`,
      { path: "note" },
    );
  }
  return update(runDir, (current) => ({ ...current, note: note.trim() }));
}

/** Throws a UserError naming the first tag that is not a valid one. */
export function checkTags(tags: string[]): void {
  if (tags.length === 0) throw new UserError("no tag given", { path: "tags" });
  for (const tag of tags) {
    if (typeof tag !== "string" || !TAG.test(tag)) {
      throw new UserError(
        `'${tag}' is not a tag: 1-64 letters, digits and . _ : + @ / -, starting with a ` +
          "letter or digit",
        { path: "tags" },
      );
    }
  }
}

/**
 * Read, change, write to a temporary name and rename over the file: a reader sees the old
 * or the new annotations, never half. Synchronous, so two updates from one process (a web
 * server's requests) cannot interleave; between processes the last writer wins.
 */
function update(runDir: string, change: (a: Annotations) => Annotations): Annotations {
  requireRunFolder(runDir);
  const next = change(readAnnotations(runDir));
  const file = join(runDir, ANNOTATIONS_FILE);
  const temporary = join(runDir, `.${ANNOTATIONS_FILE}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    Deno.writeTextFileSync(temporary, JSON.stringify(next, null, 2) + "\n");
    Deno.renameSync(temporary, file);
  } catch (error) {
    try {
      Deno.removeSync(temporary);
    } catch {
      // never written
    }
    throw error;
  }
  return next;
}

function requireRunFolder(runDir: string): void {
  let names: Set<string>;
  try {
    names = new Set([...Deno.readDirSync(runDir)].map((e) => e.name));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError("no such run folder", { file: runDir });
    }
    if (error instanceof Deno.errors.NotADirectory) {
      throw new UserError("not a folder (expected a run folder)", { file: runDir });
    }
    throw error;
  }
  if (!RUN_FOLDER_FILES.some((name) => names.has(name))) {
    throw new UserError(`not a run folder (no ${RUN_FOLDER_FILES.join(", ")})`, { file: runDir });
  }
}
