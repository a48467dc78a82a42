import { join } from "node:path";
import type { Fingerprint } from "../fingerprint.ts";
import { sha256 } from "../fingerprint.ts";
import type { Artifact, Table } from "../table.ts";
import { decodeTable, encodeTable, groupColumnsByLength } from "./arrow_io.ts";

/** What sits beside an artifact's files and vouches for them. */
interface Manifest {
  fingerprint: Fingerprint;
  step: string;
  created: string;
  meta: Record<string, unknown>;
  /** Arrow files: file name -> table name and checksum */
  tables: Array<{ file: string; table: string; sha256: string; bytes: number }>;
  /** other files the step wrote (e.g. generated CSVs): name -> size; checked by size */
  files: Array<{ file: string; bytes: number }>;
}

const MANIFEST = "manifest.json";

/**
 * A content-addressed artifact store: `<root>/artifacts/<fp:2>/<fp>/`. An artifact is
 * written to a temporary folder and renamed into place only when complete, so a killed
 * run never leaves something a later run would trust. Loading verifies checksums; a
 * corrupt artifact is removed and reported as missing, so the step is recomputed.
 */
export class ArtifactStore {
  constructor(readonly root: string) {}

  path(fingerprint: Fingerprint): string {
    return join(this.root, "artifacts", fingerprint.slice(0, 2), fingerprint);
  }

  /** Whether a complete artifact is present (cheap: the manifest is written last). */
  has(fingerprint: Fingerprint): boolean {
    try {
      Deno.statSync(join(this.path(fingerprint), MANIFEST));
      return true;
    } catch {
      return false;
    }
  }

  /** Reads and verifies an artifact; null when absent or corrupt (then it is removed). */
  load(fingerprint: Fingerprint, onCorrupt?: (why: string) => void): Artifact | null {
    const dir = this.path(fingerprint);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(Deno.readTextFileSync(join(dir, MANIFEST)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      return this.discard(dir, `unreadable manifest (${(error as Error).message})`, onCorrupt);
    }
    if (manifest.fingerprint !== fingerprint) {
      return this.discard(dir, "manifest names another fingerprint", onCorrupt);
    }
    const tables: Record<string, Table> = {};
    for (const entry of manifest.tables) {
      let bytes: Uint8Array;
      try {
        bytes = Deno.readFileSync(join(dir, entry.file));
      } catch {
        return this.discard(dir, `missing ${entry.file}`, onCorrupt);
      }
      if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) {
        return this.discard(dir, `checksum mismatch in ${entry.file}`, onCorrupt);
      }
      try {
        Object.assign(tables[entry.table] ??= {}, decodeTable(bytes));
      } catch (error) {
        return this.discard(
          dir,
          `undecodable ${entry.file}: ${(error as Error).message}`,
          onCorrupt,
        );
      }
    }
    for (const entry of manifest.files) {
      try {
        if (Deno.statSync(join(dir, "files", entry.file)).size !== entry.bytes) {
          return this.discard(dir, `size mismatch in ${entry.file}`, onCorrupt);
        }
      } catch {
        return this.discard(dir, `missing ${entry.file}`, onCorrupt);
      }
    }
    return { tables, meta: manifest.meta };
  }

  /** Only the small metadata of an artifact (no tables read, nothing verified); null if absent. */
  loadMeta(fingerprint: Fingerprint): Record<string, unknown> | null {
    try {
      const manifest: Manifest = JSON.parse(
        Deno.readTextFileSync(join(this.path(fingerprint), MANIFEST)),
      );
      return manifest.meta;
    } catch {
      return null;
    }
  }

  /** The folder of files an artifact carries besides its tables. */
  filesDir(fingerprint: Fingerprint): string {
    return join(this.path(fingerprint), "files");
  }

  /**
   * Removes scratch folders left by killed runs (older than `maxAgeMs`; a live step's
   * folder is younger than any step takes). Nothing in them is ever trusted, only space.
   */
  pruneScratch(maxAgeMs = 24 * 3600 * 1000): number {
    const tmp = join(this.root, "tmp");
    let removed = 0;
    try {
      for (const entry of Deno.readDirSync(tmp)) {
        const path = join(tmp, entry.name);
        const modified = Deno.statSync(path).mtime?.getTime() ?? Date.now();
        if (Date.now() - modified > maxAgeMs) {
          Deno.removeSync(path, { recursive: true });
          removed++;
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return removed;
  }

  /** A fresh private folder in which a step may write files before `save`. */
  scratch(): string {
    const tmp = join(this.root, "tmp");
    Deno.mkdirSync(tmp, { recursive: true });
    return Deno.makeTempDirSync({ dir: tmp, prefix: "step-" });
  }

  /**
   * Writes an artifact atomically. `scratch` (from `scratch()`), when given, holds files
   * under `scratch/files/` that become part of the artifact.
   */
  save(
    fingerprint: Fingerprint,
    step: string,
    artifact: Artifact,
    scratch: string = this.scratch(),
  ): void {
    const manifest: Manifest = {
      fingerprint,
      step,
      created: new Date().toISOString(),
      meta: artifact.meta,
      tables: [],
      files: [],
    };
    for (const [name, table] of Object.entries(artifact.tables)) {
      groupColumnsByLength(table).forEach((group, index) => {
        const file = `${name}${index ? `.${index}` : ""}.arrow`;
        const bytes = encodeTable(group);
        Deno.writeFileSync(join(scratch, file), bytes);
        manifest.tables.push({ file, table: name, sha256: sha256(bytes), bytes: bytes.length });
      });
    }
    try {
      for (const entry of Deno.readDirSync(join(scratch, "files"))) {
        const bytes = Deno.statSync(join(scratch, "files", entry.name)).size;
        manifest.files.push({ file: entry.name, bytes });
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    // The manifest is written last, inside the scratch folder, then the folder is renamed.
    Deno.writeTextFileSync(join(scratch, MANIFEST), JSON.stringify(manifest, null, 1));
    const target = this.path(fingerprint);
    Deno.mkdirSync(join(target, ".."), { recursive: true });
    try {
      Deno.renameSync(scratch, target);
    } catch (error) {
      // Another run committed the same artifact first: theirs is equivalent, keep it.
      Deno.removeSync(scratch, { recursive: true });
      if (!this.has(fingerprint)) throw error;
    }
  }

  private discard(dir: string, why: string, onCorrupt?: (why: string) => void): null {
    onCorrupt?.(why);
    try {
      // Move aside first so a concurrent reader never sees a half-deleted folder as valid.
      const aside = `${dir}.corrupt-${crypto.randomUUID().slice(0, 8)}`;
      Deno.renameSync(dir, aside);
      Deno.removeSync(aside, { recursive: true });
    } catch {
      // already gone
    }
    return null;
  }
}
