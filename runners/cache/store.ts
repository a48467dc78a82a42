import { join } from "node:path";
import { hashFile } from "../../data/file_hash.ts";
import type { Fingerprint } from "../fingerprint.ts";
import { canonicalJson, sha256 } from "../fingerprint.ts";
import type { Artifact, Table } from "../table.ts";
import { decodeTable, encodeTable, groupColumnsByLength } from "./arrow_io.ts";
import { ScratchFolders } from "./scratch.ts";
import { type CheckpointOwner, dropCheckpointFolder, openCheckpointFolder } from "./checkpoints.ts";
import type { LeaseTiming } from "./lease.ts";

/** What sits beside an artifact's files and vouches for them. */
interface Manifest {
  version: typeof MANIFEST_VERSION;
  fingerprint: Fingerprint;
  step: string;
  created: string;
  meta: Record<string, unknown>;
  /** Arrow files: file name -> table name and checksum */
  tables: Array<{ file: string; table: string; sha256: string; bytes: number }>;
  /** other files the step wrote (e.g. generated CSVs), under `files/` */
  files: Array<{ file: string; bytes: number; sha256: string }>;
  /** sha256 of the canonical JSON of everything above: binds meta to the files' checksums */
  checksum: string;
}

const MANIFEST = "manifest.json";
const MANIFEST_VERSION = 2;

export interface SaveOptions {
  /** replace an artifact already in place (`--no-cache`: the old one may be bad) */
  replace?: boolean;
}

type OnCorrupt = (why: string) => void;

/**
 * A content-addressed artifact store: `<root>/artifacts/<fp:2>/<fp>/`. An artifact is
 * written to a scratch folder and renamed into place only when complete, so a killed run
 * never leaves something a later run would trust. Everything an artifact holds (tables,
 * files, metadata) is covered by the manifest's checksum; loading verifies it, and a
 * corrupt artifact is removed and reported as missing, so the step is recomputed.
 */
export class ArtifactStore {
  private readonly scratchFolders: ScratchFolders;

  constructor(readonly root: string, options: { leaseTiming?: LeaseTiming } = {}) {
    this.scratchFolders = new ScratchFolders(join(root, "scratch"), options.leaseTiming);
  }

  path(fingerprint: Fingerprint): string {
    return join(this.root, "artifacts", fingerprint.slice(0, 2), fingerprint);
  }

  /** Whether a manifest is in place (cheap, unverified: the manifest is written last). */
  has(fingerprint: Fingerprint): boolean {
    try {
      Deno.statSync(join(this.path(fingerprint), MANIFEST));
      return true;
    } catch {
      return false;
    }
  }

  /** Reads and verifies an artifact; null when absent or corrupt (then it is removed). */
  async load(fingerprint: Fingerprint, onCorrupt?: OnCorrupt): Promise<Artifact | null> {
    const dir = this.path(fingerprint);
    const manifest = this.verifiedManifest(fingerprint, onCorrupt);
    if (!manifest) return null;
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
    const listed = manifest.files.map((entry) => entry.file);
    const present = filesUnder(join(dir, "files"));
    const extra = present.filter((file) => !listed.includes(file));
    if (extra.length) return this.discard(dir, `unlisted file ${extra[0]}`, onCorrupt);
    for (const entry of manifest.files) {
      const file = join(dir, "files", entry.file);
      let hash: string;
      try {
        // The (size, mtime, ctime, inode) memo only spares re-reading an unchanged file.
        hash = await hashFile(file, this.fileHashMemo());
      } catch {
        return this.discard(dir, `missing ${entry.file}`, onCorrupt);
      }
      if (hash !== entry.sha256) {
        return this.discard(dir, `checksum mismatch in ${entry.file}`, onCorrupt);
      }
    }
    return { tables, meta: manifest.meta };
  }

  /**
   * Only the metadata of an artifact, without reading its tables; null if absent or corrupt
   * (then it is removed). The manifest's checksum is verified, so the metadata is exactly
   * what the step wrote beside the files whose checksums it lists.
   */
  loadMeta(fingerprint: Fingerprint, onCorrupt?: OnCorrupt): Record<string, unknown> | null {
    return this.verifiedManifest(fingerprint, onCorrupt)?.meta ?? null;
  }

  /** The folder of files an artifact carries besides its tables. */
  filesDir(fingerprint: Fingerprint): string {
    return join(this.path(fingerprint), "files");
  }

  /**
   * Opens the folder where a step with this fingerprint keeps checkpoints until its
   * artifact is saved (see checkpoints.ts).
   */
  openCheckpoints(fingerprint: Fingerprint, owner: CheckpointOwner): string {
    return openCheckpointFolder(this.root, fingerprint, owner);
  }

  dropCheckpoints(fingerprint: Fingerprint): void {
    dropCheckpointFolder(this.root, fingerprint);
  }

  /** Where hashes of unchanged files are remembered (shared with raw input files). */
  fileHashMemo(): string {
    return join(this.root, "file-hashes");
  }

  /** Removes scratch folders of runs that are gone (see ScratchFolders); how many. */
  pruneScratch(): number {
    return this.scratchFolders.prune();
  }

  /** A fresh private folder in which a step may write files before `save`. */
  scratch(): string {
    return this.scratchFolders.create();
  }

  /** Gives up a scratch folder that will not be saved (a failed step). */
  dropScratch(scratch: string): void {
    this.scratchFolders.remove(scratch);
  }

  /**
   * Writes an artifact atomically. `scratch` (from `scratch()`), when given, holds files
   * under `scratch/files/` that become part of the artifact.
   */
  async save(
    fingerprint: Fingerprint,
    step: string,
    artifact: Artifact,
    scratch: string = this.scratch(),
    options: SaveOptions = {},
  ): Promise<void> {
    try {
      const body: Omit<Manifest, "checksum"> = {
        version: MANIFEST_VERSION,
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
          body.tables.push({ file, table: name, sha256: sha256(bytes), bytes: bytes.length });
        });
      }
      for (const file of filesUnder(join(scratch, "files"))) {
        const path = join(scratch, "files", file);
        const bytes = Deno.statSync(path).size;
        body.files.push({ file, bytes, sha256: await hashFile(path) });
      }
      // Checksummed as it will read back (JSON turns NaN into null, drops undefined).
      const parsed = JSON.parse(JSON.stringify(body));
      const manifest: Manifest = { ...parsed, checksum: sha256(canonicalJson(parsed)) };
      // The manifest is written last, inside the scratch folder, then the folder is renamed.
      Deno.writeTextFileSync(join(scratch, MANIFEST), JSON.stringify(manifest, null, 1));
      this.commit(fingerprint, scratch, options);
    } finally {
      this.scratchFolders.remove(scratch);
    }
  }

  /** Renames the complete scratch folder into place. */
  private commit(fingerprint: Fingerprint, scratch: string, options: SaveOptions): void {
    const target = this.path(fingerprint);
    Deno.mkdirSync(join(target, ".."), { recursive: true });
    try {
      Deno.renameSync(scratch, target);
      return;
    } catch {
      // Another run committed the same artifact first: theirs is equivalent, keep it,
      // unless told to replace it or it does not verify (e.g. a half-copied folder).
      if (!options.replace && this.verifiedManifest(fingerprint) !== null) return;
    }
    // Move the old one aside, then ours in: a reader sees the old, nothing, or the new.
    const aside = `${target}.replaced-${crypto.randomUUID().slice(0, 8)}`;
    try {
      Deno.renameSync(target, aside);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    try {
      Deno.renameSync(scratch, target);
    } catch (error) {
      // A concurrent run put its own in place meanwhile; keep it if it verifies.
      if (this.verifiedManifest(fingerprint) === null) throw error;
    } finally {
      if (this.exists(aside)) Deno.removeSync(aside, { recursive: true });
    }
  }

  /** The manifest if it is intact and names this fingerprint; else the folder is discarded. */
  private verifiedManifest(fingerprint: Fingerprint, onCorrupt?: OnCorrupt): Manifest | null {
    const dir = this.path(fingerprint);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(Deno.readTextFileSync(join(dir, MANIFEST)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        // A folder without a manifest was never committed by a store (the manifest goes in
        // before the rename): a half-copied cache. Replace it rather than trip over it.
        if (!this.exists(dir)) return null;
        return this.discard(dir, "no manifest (incomplete copy?)", onCorrupt);
      }
      return this.discard(dir, `unreadable manifest (${(error as Error).message})`, onCorrupt);
    }
    if (manifest?.version !== MANIFEST_VERSION) {
      return this.discard(dir, "manifest of an older cache format", onCorrupt);
    }
    const { checksum, ...body } = manifest;
    if (checksum !== sha256(canonicalJson(body))) {
      return this.discard(dir, "manifest checksum mismatch (metadata edited?)", onCorrupt);
    }
    if (manifest.fingerprint !== fingerprint) {
      return this.discard(dir, "manifest names another fingerprint", onCorrupt);
    }
    return manifest;
  }

  private exists(path: string): boolean {
    try {
      Deno.statSync(path);
      return true;
    } catch {
      return false;
    }
  }

  private discard(dir: string, why: string, onCorrupt?: OnCorrupt): null {
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

/** Paths of the files under `dir` (relative, "/"-separated, sorted); none if it is absent. */
function filesUnder(dir: string, prefix = ""): string[] {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(join(dir, prefix))];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory ? filesUnder(dir, path) : [path];
  }).sort();
}
