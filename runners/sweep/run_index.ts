import { join } from "node:path";
import { RUN_ID_PATTERN as RUN_ID } from "../run_folder/list_runs.ts";

/**
 * Finds run folders by plan fingerprint (run.json's `plan_fingerprint`: every step's code,
 * parameters and data), so a trial whose exact computation already ran is known to be done;
 * after a code or data change it is not. Each run.json is read once; later
 * lookups read only folders that appeared since.
 */
export class RunIndex {
  /** experiment -> run id already read -> its plan fingerprint (null: unreadable or older) */
  private readonly seen = new Map<string, Map<string, string | null>>();

  constructor(readonly resultsDir: string) {}

  /** The newest run folder of `experiment` with this plan fingerprint, if any. */
  find(experiment: string, fingerprint: string): string | undefined {
    const dir = join(this.resultsDir, experiment);
    const runs = this.refresh(experiment, dir);
    let newest: string | undefined;
    for (const [runId, fp] of runs) {
      if (fp === fingerprint && (newest === undefined || runId > newest)) newest = runId;
    }
    return newest === undefined ? undefined : join(dir, newest);
  }

  private refresh(experiment: string, dir: string): Map<string, string | null> {
    let runs = this.seen.get(experiment);
    if (!runs) this.seen.set(experiment, runs = new Map());
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return runs;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isDirectory || !RUN_ID.test(entry.name) || runs.has(entry.name)) continue;
      runs.set(entry.name, readFingerprint(join(dir, entry.name, "run.json")));
    }
    return runs;
  }
}

function readFingerprint(file: string): string | null {
  try {
    const fp = JSON.parse(Deno.readTextFileSync(file)).plan_fingerprint;
    return typeof fp === "string" ? fp : null;
  } catch {
    return null; // run folders are renamed into place whole; this one is foreign or damaged
  }
}
