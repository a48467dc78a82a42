/**
 * Which cache artifacts the kept runs reference: every step fingerprint that a run folder's
 * run.json records (an artifact's folder is named by its step's fingerprint). Kept runs are
 * all run folders of the given results folders, archived ones included, and runs still
 * being written. A suite's run.json records its members' steps too, and a sweep's trials are
 * run folders of their own.
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { listRunFolders } from "../run_folder/list_runs.ts";
import { realFolder } from "../run_folder/run_location.ts";

export interface References {
  /** step fingerprints recorded by the runs */
  fingerprints: Set<string>;
  /** run folders read */
  runs: number;
  /**
   * Run folders whose run.json is missing, unreadable or lacks its steps' fingerprints:
   * what they used is unknown, so gc must keep everything.
   */
  unrecorded: string[];
}

/** Reads run.json of every run folder (archived too) in each results folder. */
export function referencedFingerprints(resultsDirs: string[]): References {
  if (resultsDirs.length === 0) {
    throw new UserError("no results folder given: gc needs the runs whose artifacts it keeps", {
      path: "--results-dir",
    });
  }
  const references: References = { fingerprints: new Set(), runs: 0, unrecorded: [] };
  for (const resultsDir of resultsDirs) {
    // A results folder that is not there is a typo: its runs' artifacts would go.
    const root = realFolder(resultsDir, "results folder");
    for (const run of listRunFolders(root, { archived: true, partial: true })) {
      const steps = recordedFingerprints(join(run.dir, "run.json"));
      // A run still being written gets its run.json last: until then it references nothing.
      if (steps === "missing" && run.partial) continue;
      references.runs++;
      if (steps === "missing" || steps === "unusable") references.unrecorded.push(run.dir);
      else for (const fingerprint of steps) references.fingerprints.add(fingerprint);
    }
  }
  return references;
}

/** The fingerprints of run.json's steps; "unusable" when it records none we can trust. */
function recordedFingerprints(file: string): string[] | "missing" | "unusable" {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    if (error instanceof Deno.errors.PermissionDenied) return "unusable";
    throw error;
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return "unusable";
  }
  const steps = (record as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return "unusable";
  const fingerprints: string[] = [];
  for (const step of steps) {
    const fingerprint = (step as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== "string") return "unusable";
    fingerprints.push(fingerprint);
  }
  return fingerprints;
}
