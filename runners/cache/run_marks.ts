/**
 * Marks of runs in progress: `<cache>/runs/<run id>.json`, naming the process and every step
 * fingerprint of its plan, from planning until its run folder is written. Until then no
 * run.json records those artifacts, so gc keeps what a mark names: a run computing a step,
 * or holding a fresh artifact it has yet to record, never loses it to a concurrent gc.
 *
 * A mark is not renewed: a mark of a process of this machine that is gone is stale (gc
 * removes it); one from another host or container is kept until someone removes it, since
 * nothing tells this host that the run there ended (a stale one only keeps artifacts).
 */
import { join } from "node:path";
import { type Holder, holderIsGone, localHolder } from "./lease.ts";

interface RunMark {
  holder: Holder;
  fingerprints: string[];
}

const DIR = "runs";

/** Marks a run as using these fingerprints; returns the function that removes the mark. */
export function markRunInProgress(
  cacheDir: string,
  runLabel: string,
  fingerprints: Iterable<string>,
): () => void {
  const dir = join(cacheDir, DIR);
  Deno.mkdirSync(dir, { recursive: true });
  const file = join(dir, `${runLabel.replace(/[^\w.-]/g, "_")}.json`);
  const mark: RunMark = { holder: localHolder(runLabel), fingerprints: [...fingerprints] };
  const temporary = `${file}.${crypto.randomUUID().slice(0, 8)}.new`;
  Deno.writeTextFileSync(temporary, JSON.stringify(mark));
  Deno.renameSync(temporary, file);
  return () => {
    try {
      Deno.removeSync(file);
    } catch {
      // already gone (a gc judged it stale: it cannot be, while we live)
    }
  };
}

export interface RunsInProgress {
  /** fingerprints named by the marks of runs that may still be running */
  fingerprints: Set<string>;
  /** marks of those runs */
  live: string[];
  /** marks of processes of this machine that are gone */
  stale: string[];
}

/** Reads every mark (one that cannot be read was removed meanwhile, or is not a mark). */
export function runsInProgress(cacheDir: string): RunsInProgress {
  const out: RunsInProgress = { fingerprints: new Set(), live: [], stale: [] };
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(join(cacheDir, DIR))];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const file = join(cacheDir, DIR, entry.name);
    let mark: RunMark;
    try {
      mark = JSON.parse(Deno.readTextFileSync(file));
    } catch {
      continue; // removed meanwhile (the run ended), or not ours
    }
    if (mark?.holder && holderIsGone(mark.holder)) {
      out.stale.push(file);
      continue;
    }
    out.live.push(file);
    for (const fingerprint of mark?.fingerprints ?? []) out.fingerprints.add(fingerprint);
  }
  return out;
}
