/**
 * Folder helpers gc shares between its groups (artifacts, checkpoints): listing, sizing and
 * removing a folder so that a reader never sees half of it.
 */
import { join } from "node:path";

/** A folder gc removes is first renamed to `<name>.gc-<8 hex>` (see removeAside). */
export const GC_ASIDE_SUFFIX = /\.gc-[0-9a-f]{8}$/;

/** Names of the folders in `dir`; none when it does not exist. */
export function folderNames(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/**
 * Bytes and newest modification time of the files under `dir` (links not followed); null
 * when `dir` is gone. A running step may remove files meanwhile: those are not counted.
 */
export function folderUsage(dir: string): { bytes: number; modifiedMs: number | null } | null {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let bytes = 0;
  let modifiedMs: number | null = null;
  const newest = (ms: number | null | undefined) => {
    if (ms !== null && ms !== undefined) modifiedMs = Math.max(modifiedMs ?? 0, ms);
  };
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      const inner = folderUsage(path);
      bytes += inner?.bytes ?? 0;
      newest(inner?.modifiedMs);
      continue;
    }
    try {
      const stat = Deno.lstatSync(path);
      bytes += stat.size;
      newest(stat.mtime?.getTime());
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return { bytes, modifiedMs };
}

/**
 * Renamed aside first (a run reading it sees it absent, and recomputes, rather than half a
 * folder), then removed; a gc killed in between leaves `<name>.gc-<hex>`, removed next time.
 */
export function removeAside(path: string, alreadyAside: boolean): void {
  let doomed = path;
  if (!alreadyAside) {
    doomed = `${path}.gc-${crypto.randomUUID().slice(0, 8)}`;
    try {
      Deno.renameSync(path, doomed);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return; // removed meanwhile by its owner
      throw error;
    }
  }
  Deno.removeSync(doomed, { recursive: true });
}
