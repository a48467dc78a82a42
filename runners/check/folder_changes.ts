import { join } from "node:path";
import YAML from "yaml";
import { type RunRecord, specFingerprint } from "../results.ts";
import { changedFiles } from "../run_folder/checksums.ts";

/**
 * What changed in a run folder since the run wrote it, one sentence each: a file whose
 * bytes no longer match run.json's checksum, a missing file, and a spec (spec.yaml for
 * people, spec.json for machines) that no longer resolves to the recorded spec fingerprint.
 */
export function folderChanges(
  runDir: string,
  record: RunRecord,
  spec: Record<string, unknown>,
): string[] {
  const changes: string[] = [];
  if (!record.files) {
    changes.push(
      "run.json records no file checksums (written before they were recorded): " +
        "the folder's files cannot be verified",
    );
  }
  const changed = new Map((changedFiles(runDir, record.files ?? {})).map((c) => [c.file, c]));
  const yamlChange = specYamlChange(runDir, record, changed.has("spec.yaml"));
  if (yamlChange) changes.push(yamlChange);
  if (specFingerprint(spec) !== record.spec_fingerprint) {
    changes.push(
      "spec.json was edited after the run: it no longer matches the recorded spec fingerprint",
    );
  } else if (changed.get("spec.json")?.change === "edited") {
    changes.push("spec.json was edited after the run (its checksum differs from run.json's)");
  }
  for (const { file, change } of changed.values()) {
    if (file === "spec.yaml" || file === "spec.json") continue;
    changes.push(
      change === "missing"
        ? `${file} is missing (run.json records it)`
        : `${file} was edited after the run (its checksum differs from run.json's)`,
    );
  }
  return changes;
}

/** spec.yaml read back (the `yaml` package: a person may have edited it) and fingerprinted. */
function specYamlChange(
  runDir: string,
  record: RunRecord,
  checksumDiffers: boolean,
): string | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(runDir, "spec.yaml"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "spec.yaml is missing";
    throw error;
  }
  let fingerprint: string | undefined;
  try {
    fingerprint = specFingerprint(YAML.parse(text));
  } catch {
    return "spec.yaml was edited after the run: it is no longer valid YAML";
  }
  if (fingerprint !== record.spec_fingerprint) {
    return "spec.yaml was edited after the run: it no longer matches the recorded spec " +
      "fingerprint (check re-runs the recorded spec.json)";
  }
  if (checksumDiffers) {
    return "spec.yaml was edited after the run (the same spec, written differently)";
  }
  return undefined;
}
