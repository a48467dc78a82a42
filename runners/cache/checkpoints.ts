/**
 * Checkpoints of unfinished steps: `<cache>/checkpoints/<step fingerprint>/`, where a long
 * step (BERT fine-tuning) saves its progress so that a killed run resumes. The folder is
 * opened when the step asks for it and gets `step.json`, naming the step and the run, so
 * that gc can say what a leftover belongs to; it is removed once the step's artifact is
 * saved. A run killed and then re-run with other settings has another fingerprint, so the
 * old folder is left behind: gc (gc_checkpoints.ts) removes those no run is computing.
 */
import { join } from "node:path";
import type { Fingerprint } from "../fingerprint.ts";

export const CHECKPOINTS_DIR = "checkpoints";
const OWNER_FILE = "step.json";

/** What a checkpoint folder belongs to, for people (`step.json`). */
export interface CheckpointOwner {
  /** the step kind (e.g. "finetune") */
  step: string;
  /** the step's name in its plan */
  name: string;
  /** the run that last opened it (its id), if known */
  run: string | null;
}

export function checkpointFolder(cacheDir: string, fingerprint: Fingerprint): string {
  return join(cacheDir, CHECKPOINTS_DIR, fingerprint);
}

/** Creates (or reopens, to resume) a step's checkpoint folder and records its owner. */
export function openCheckpointFolder(
  cacheDir: string,
  fingerprint: Fingerprint,
  owner: CheckpointOwner,
): string {
  const dir = checkpointFolder(cacheDir, fingerprint);
  Deno.mkdirSync(dir, { recursive: true });
  const file = join(dir, OWNER_FILE);
  const temporary = `${file}.${crypto.randomUUID().slice(0, 8)}.new`;
  Deno.writeTextFileSync(temporary, JSON.stringify(owner) + "\n");
  Deno.renameSync(temporary, file);
  return dir;
}

/** The owner a checkpoint folder records; null when it has none (an older version's). */
export function readCheckpointOwner(dir: string): CheckpointOwner | null {
  try {
    const owner = JSON.parse(Deno.readTextFileSync(join(dir, OWNER_FILE)));
    if (typeof owner?.step !== "string" || typeof owner?.name !== "string") return null;
    return {
      step: owner.step,
      name: owner.name,
      run: typeof owner.run === "string" ? owner.run : null,
    };
  } catch {
    return null;
  }
}

/** Removes a step's checkpoints (its artifact is saved, or `--no-cache` starts afresh). */
export function dropCheckpointFolder(cacheDir: string, fingerprint: Fingerprint): void {
  try {
    Deno.removeSync(checkpointFolder(cacheDir, fingerprint), { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
