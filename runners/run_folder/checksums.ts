import { basename, join } from "node:path";
import { sha256 } from "../fingerprint.ts";

/** run.json's `files`: each file of the run folder (but run.json) -> sha256 of its bytes. */
export type FileChecksums = Record<string, string>;

export function checksumsOf(files: Record<string, string | Uint8Array>): FileChecksums {
  const out: FileChecksums = {};
  for (const name of Object.keys(files).sort()) out[name] = sha256(files[name]);
  return out;
}

/** A recorded file that is no longer what the run wrote. */
export interface ChangedFile {
  file: string;
  change: "missing" | "edited";
}

/** The recorded files that are missing or whose bytes changed since the run wrote them. */
export function changedFiles(runDir: string, recorded: FileChecksums): ChangedFile[] {
  const changed: ChangedFile[] = [];
  for (const [file, checksum] of Object.entries(recorded)) {
    // Only the folder's own files: a name with a path in it was not written by the runner.
    if (basename(file) !== file || file === "..") {
      changed.push({ file, change: "missing" });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(join(runDir, file));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        changed.push({ file, change: "missing" });
        continue;
      }
      throw error;
    }
    if (sha256(bytes) !== checksum) changed.push({ file, change: "edited" });
  }
  return changed;
}
