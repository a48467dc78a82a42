import { dirname, join, resolve } from "node:path";
import YAML from "yaml";
import { UserError } from "../errors.ts";
import { newRunId, specFingerprint, writeRunFolder } from "../results.ts";
import { defaultResultsDir, runExperiment, type RunOptions, type RunOutcome } from "../run.ts";
import { loadSpec } from "../spec/load.ts";
import type { Override } from "../spec/overrides.ts";
import { type Suite, SuiteSchema } from "./schema.ts";
import { faithfulSummary, soundSummary } from "./summary.ts";

/** Whether a YAML file is a suite (it has a `suite:` block) rather than one experiment. */
export function isSuiteFile(file: string): boolean {
  if (!/\.ya?ml$/.test(file)) return false;
  try {
    const raw = YAML.parse(Deno.readTextFileSync(file));
    return raw !== null && typeof raw === "object" && "suite" in raw;
  } catch {
    return false; // the experiment loader reports the problem with its line
  }
}

export function loadSuite(file: string): Suite {
  const result = SuiteSchema.safeParse(YAML.parse(Deno.readTextFileSync(file)));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(issue.message, { file, path: issue.path.join(".") });
  }
  return result.data;
}

export interface SuiteOutcome {
  runDir: string;
  faithful: string;
  sound: string;
  members: Record<string, RunOutcome>;
}

/**
 * Runs every member (validated first, so a typo stops the suite before anything runs),
 * then writes `results/<suite>/<run id>/` with the summary tables and where each member's
 * run folder is.
 */
export async function runSuite(
  file: string,
  overrides: Override[],
  options: RunOptions = {},
): Promise<SuiteOutcome> {
  const suite = loadSuite(file);
  const started = new Date();
  const folder = dirname(resolve(file));
  const groups = { faithful: suite.suite.faithful, sound: suite.suite.sound };
  const specs = new Map<string, Awaited<ReturnType<typeof loadSpec>>["spec"]>();
  for (const [group, members] of Object.entries(groups)) {
    for (const member of members) {
      const { spec } = await loadSpec(join(folder, member.spec), overrides);
      specs.set(`${group}/${member.label}`, spec);
    }
  }
  const outcomes: Record<string, RunOutcome> = {};
  for (const [key, spec] of specs) {
    if (!options.quiet) console.error(`== ${key} (${spec.name})`);
    outcomes[key] = await runExperiment(spec, options);
  }
  const pick = (group: string) =>
    groups[group as keyof typeof groups].map((m) => ({
      label: m.label,
      outcome: outcomes[`${group}/${m.label}`],
    }));
  const faithful = faithfulSummary(pick("faithful"));
  const sound = soundSummary(pick("sound"), suite.suite.baseline);
  const runId = newRunId(started, specFingerprint(suite));
  const runs = Object.fromEntries(Object.entries(outcomes).map(([key, o]) => [key, o.runDir]));
  const runDir = writeRunFolder(options.resultsDir ?? defaultResultsDir(), suite.name, runId, {
    "spec.yaml": YAML.stringify({ ...suite, overrides: overrides.map((o) => o.text) }),
    "metrics_summary.csv": faithful.csv,
    "metrics_summary.md": faithful.markdown,
    "metrics_summary_sound.csv": sound.csv,
    "metrics_summary_sound.md": sound.markdown,
    "runs.json": JSON.stringify(runs, null, 2) + "\n",
  });
  return { runDir, faithful: faithful.markdown, sound: sound.markdown, members: outcomes };
}
