import YAML from "yaml";
import { type RunRecord, writeRunFolder } from "../results.ts";
import { checksumsOf } from "./checksums.ts";

/** What a run folder holds besides the spec and run.json. */
export type RunFiles = Record<string, string | Uint8Array>;

/**
 * Writes `<resultsDir>/<experiment>/<run id>/`: the resolved spec twice (`spec.json` for
 * machines, every reader uses it; `spec.yaml` for people), the given files, and run.json
 * with the sha256 of every other file, so `check` can tell what changed after the run.
 */
export function writeRun(
  resultsDir: string,
  spec: unknown,
  record: RunRecord,
  files: RunFiles,
): string {
  const all: RunFiles = {
    "spec.json": JSON.stringify(spec, null, 2) + "\n",
    "spec.yaml": YAML.stringify(spec),
    ...files,
  };
  record.files = checksumsOf(all);
  all["run.json"] = JSON.stringify(record, null, 2) + "\n";
  return writeRunFolder(resultsDir, record.experiment, record.run_id, all);
}
