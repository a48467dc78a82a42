/**
 * Per-epoch checkpoints of a fine-tune, so a killed run resumes from its last finished epoch
 * and ends with exactly the result of an uninterrupted one. After epoch e the folder holds
 * `epoch-<e>.safetensors` (parameters and optimizer moments), `best-<b>.safetensors` (the
 * parameters of the best epoch so far) and `state.json` naming them; state.json is replaced
 * atomically after the files it names are complete, and only then are older files removed.
 */
import { join } from "node:path";
import { encodeSafetensors, type NamedTensor, readSafetensors } from "./safetensors.ts";

export interface EpochRecord {
  epoch: number;
  /** RMSE of the running training loss, in target units */
  trainRmse: number;
  /** NaN (null in JSON) when there are no dev rows */
  devRmse: number;
}

export interface CheckpointState {
  /** what the checkpoint was made for: a checkpoint of other settings is ignored */
  settings: string;
  epoch: number;
  step: number;
  curve: EpochRecord[];
  bestEpoch: number;
  bestDevRmse: number;
}

export interface Checkpoint {
  state: CheckpointState;
  /** parameters (`p:<name>`) and moments (`m:`/`v:`) after `state.epoch` */
  last: (name: string) => Float32Array;
  /** parameters of the best epoch */
  best: Map<string, Float32Array>;
}

const STATE = "state.json";

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.writeFile(path + ".tmp", bytes);
  await Deno.rename(path + ".tmp", path);
}

/** Saves epoch `state.epoch`; `best` is written only when it is this epoch's. */
export async function saveCheckpoint(
  dir: string,
  state: CheckpointState,
  last: Record<string, NamedTensor>,
  best: Record<string, NamedTensor> | null,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const lastFile = `epoch-${state.epoch}.safetensors`;
  const bestFile = `best-${state.bestEpoch}.safetensors`;
  await writeAtomically(join(dir, lastFile), encodeSafetensors(last));
  if (best) await writeAtomically(join(dir, bestFile), encodeSafetensors(best));
  const json = JSON.stringify({ ...state, lastFile, bestFile }, null, 1);
  await writeAtomically(join(dir, STATE), new TextEncoder().encode(json));
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name.endsWith(".safetensors") && entry.name !== lastFile && entry.name !== bestFile) {
      await Deno.remove(join(dir, entry.name));
    }
  }
}

/** The last checkpoint in `dir` made for `settings`, or null (none, or for other settings). */
export async function loadCheckpoint(dir: string, settings: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, STATE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const saved = JSON.parse(text) as CheckpointState & { lastFile: string; bestFile: string };
  if (saved.settings !== settings) return null;
  const last = await readSafetensors(join(dir, saved.lastFile));
  const bestFile = await readSafetensors(join(dir, saved.bestFile));
  const best = new Map([...bestFile.entries.keys()].map((k) => [k, bestFile.tensor(k).data]));
  const curve = saved.curve.map((e) => ({ ...e, devRmse: e.devRmse ?? NaN }));
  return {
    state: {
      settings: saved.settings,
      epoch: saved.epoch,
      step: saved.step,
      curve,
      bestEpoch: saved.bestEpoch,
      bestDevRmse: saved.bestDevRmse ?? Infinity,
    },
    last: (name) => last.tensor(name).data,
    best,
  };
}
