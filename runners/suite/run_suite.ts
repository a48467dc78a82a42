import { dirname, join, relative, resolve } from "node:path";
import YAML from "yaml";
import { captureEnvironment } from "../environment.ts";
import { UserError } from "../errors.ts";
import { canonicalJson, sha256 } from "../fingerprint.ts";
import {
  type Metrics,
  metricsMarkdown,
  newRunId,
  type RunRecord,
  specFingerprint,
} from "../results.ts";
import { metricsJson, type Uncertainty } from "../run_folder/metrics_file.ts";
import { writeRun } from "../run_folder/write_run.ts";
import {
  defaultResultsDir,
  peakRssMb,
  runExperiment,
  type RunOptions,
  type RunOutcome,
} from "../run.ts";
import { loadSpec, validateSpec } from "../spec/load.ts";
import type { Experiment } from "../spec/schema.ts";
import type { Override } from "../spec/overrides.ts";
import type { TypeCheckOptions } from "../spec/type_check.ts";
import { type ResolvedSuite, ResolvedSuiteSchema, type Suite, SuiteSchema } from "./schema.ts";
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

export interface SuiteOutcome extends RunOutcome {
  faithful: string;
  sound: string;
  members: Record<string, RunOutcome>;
}

/**
 * Runs a suite file: every member resolved and validated first (a typo stops the suite
 * before anything runs), then run and recorded by `runResolvedSuite`.
 */
export async function runSuite(
  file: string,
  overrides: Override[],
  options: RunOptions = {},
  load: { typeCheck?: TypeCheckOptions } = {},
): Promise<SuiteOutcome> {
  const suite = loadSuite(file);
  const folder = dirname(resolve(file));
  const members: Record<string, Experiment> = {};
  for (const [group, list] of Object.entries(groupsOf(suite))) {
    for (const member of list) {
      const loaded = await loadSpec(join(folder, member.spec), overrides, load);
      members[`${group}/${member.label}`] = loaded.spec;
    }
  }
  return runResolvedSuite({ ...suite, overrides: overrides.map((o) => o.text), members }, options);
}

/** A suite's recorded spec (spec.json) read back: the suite, each member a valid experiment. */
export function validateResolvedSuite(raw: unknown, label: string): ResolvedSuite {
  const result = ResolvedSuiteSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(issue.message, { file: label, path: issue.path.join(".") });
  }
  for (const [key, spec] of Object.entries(result.data.members)) {
    validateSpec(spec, `${label} (members.${key})`);
  }
  return result.data;
}

/**
 * Runs every member of a resolved suite, then writes `results/<suite>/<run id>/`: a run
 * folder like any other (spec, metrics keyed `<group>/<label>/<part>`, run.json with every
 * member's steps and the files' checksums), plus the summary tables and, in runs.json,
 * where each member's run folder is, relative to the suite's.
 */
export async function runResolvedSuite(
  suite: ResolvedSuite,
  options: RunOptions = {},
): Promise<SuiteOutcome> {
  const started = new Date();
  const outcomes: Record<string, RunOutcome> = {};
  for (const [key, raw] of Object.entries(suite.members)) {
    const spec = validateSpec(raw, key);
    if (!options.quiet) console.error(`== ${key} (${spec.name})`);
    outcomes[key] = await runExperiment(spec, options);
  }
  const pick = (group: string) =>
    groupsOf(suite)[group as keyof ReturnType<typeof groupsOf>].map((m) => ({
      label: m.label,
      outcome: outcomes[`${group}/${m.label}`],
    }));
  const faithful = faithfulSummary(pick("faithful"));
  const sound = soundSummary(pick("sound"), suite.suite.baseline);

  const fingerprint = specFingerprint(suite);
  const runId = newRunId(started, fingerprint);
  const resultsDir = options.resultsDir ?? defaultResultsDir();
  const target = join(resultsDir, suite.name, runId);
  const { metrics, uncertainty } = suiteMetrics(outcomes);
  const finished = new Date();
  const record: RunRecord = {
    run_id: runId,
    experiment: suite.name,
    spec_fingerprint: fingerprint,
    // The suite's plan is its members' plans: any member's code, data or spec changing changes it.
    plan_fingerprint: sha256(canonicalJson(
      Object.fromEntries(
        Object.entries(outcomes).map(([key, o]) => [key, o.record.plan_fingerprint]),
      ),
    )),
    started: started.toISOString(),
    finished: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    peak_rss_mb: peakRssMb(),
    steps: Object.entries(outcomes).flatMap(([key, o]) =>
      o.record.steps.map((step) => ({ ...step, name: `${key}/${step.name}` }))
    ),
    environment: captureEnvironment(),
  };
  const runs = Object.fromEntries(
    Object.entries(outcomes).map(([key, o]) => [key, relative(target, o.runDir)]),
  );
  const runDir = writeRun(resultsDir, suite, record, {
    "metrics.json": metricsJson(metrics, uncertainty),
    "metrics.md": metricsMarkdown(metrics, `${suite.name} — ${runId}`, uncertainty),
    "metrics_summary.csv": faithful.csv,
    "metrics_summary.md": faithful.markdown,
    "metrics_summary_sound.csv": sound.csv,
    "metrics_summary_sound.md": sound.markdown,
    "runs.json": JSON.stringify(runs, null, 2) + "\n",
  });
  return {
    runId,
    runDir,
    metrics,
    uncertainty,
    record,
    faithful: faithful.markdown,
    sound: sound.markdown,
    members: outcomes,
  };
}

function groupsOf(suite: Suite) {
  return { faithful: suite.suite.faithful, sound: suite.suite.sound };
}

/**
 * Every member's metrics, each part keyed `<group>/<label>/<part>` (`faithful/Top-Pop/test`),
 * and their intervals and spreads under the same keys.
 */
function suiteMetrics(
  outcomes: Record<string, { metrics: Metrics; uncertainty: Uncertainty }>,
): { metrics: Metrics; uncertainty: Uncertainty } {
  const metrics: Metrics = {};
  const uncertainty: Uncertainty = { ci: {}, std: {} };
  for (const [key, outcome] of Object.entries(outcomes)) {
    for (const [part, values] of Object.entries(outcome.metrics)) {
      metrics[`${key}/${part}`] = values;
    }
    for (const [part, values] of Object.entries(outcome.uncertainty.ci)) {
      uncertainty.ci[`${key}/${part}`] = values;
    }
    for (const [part, values] of Object.entries(outcome.uncertainty.std)) {
      uncertainty.std[`${key}/${part}`] = values;
    }
  }
  return { metrics, uncertainty };
}
