import { join } from "node:path";
import { captureEnvironment } from "./environment.ts";
import { executePlan } from "./execute.ts";
import { projectRoot } from "./paths.ts";
import { planExperiment } from "./plan.ts";
import { ProgressReporter } from "./progress.ts";
import {
  type Metrics,
  metricsMarkdown,
  newRunId,
  recommendationsCsv,
  type RunRecord,
  specFingerprint,
  specYaml,
  writeRunFolder,
} from "./results.ts";
import type { Experiment } from "./spec/schema.ts";

export interface RunOptions {
  /** where cached artifacts live (default `.cache/` in the project) */
  cacheDir?: string;
  /** where run folders go (default `results/` in the project) */
  resultsDir?: string;
  noCache?: boolean;
  /** no progress on stderr */
  quiet?: boolean;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  metrics: Metrics;
  record: RunRecord;
}

export const defaultCacheDir = () => Deno.env.get("RECSYS_CACHE") ?? join(projectRoot, ".cache");
export const defaultResultsDir = () =>
  Deno.env.get("RECSYS_RESULTS") ?? join(projectRoot, "results");

/** Plans, executes (from cache where possible) and records one experiment run. */
export async function runExperiment(
  spec: Experiment,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const started = new Date();
  const steps = planExperiment(spec);
  const fingerprint = specFingerprint(spec);
  const runId = newRunId(started, fingerprint);
  const progress = new ProgressReporter(steps.length, options.quiet);
  const evaluations = steps.filter((s) => s.kind.kind === "evaluate");
  const recommendations = steps.filter((s) => s.kind.kind === "recommend");
  const { records, artifacts } = await executePlan(steps, {
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    noCache: options.noCache,
    progress,
    outputs: [...recommendations, ...evaluations].map((s) => s.name),
  });

  const metrics: Metrics = {};
  for (const step of evaluations) {
    Object.assign(metrics, artifacts.get(step.name)!.meta.metrics as Metrics);
  }
  const finished = new Date();
  const record: RunRecord = {
    run_id: runId,
    experiment: spec.name,
    spec_fingerprint: fingerprint,
    started: started.toISOString(),
    finished: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    steps: records,
    environment: captureEnvironment(),
  };
  const files: Record<string, string> = {
    "spec.yaml": specYaml(spec),
    "metrics.json": JSON.stringify(metrics, null, 2) + "\n",
    "metrics.md": metricsMarkdown(metrics, `${spec.name} — ${runId}`),
    "run.json": JSON.stringify(record, null, 2) + "\n",
  };
  const testRecs = recommendations.find((s) => (s.params as { target: string }).target === "test");
  if (testRecs) {
    const recs = artifacts.get(testRecs.name)!;
    files["recommendations.csv"] = recommendationsCsv(
      recs.tables.users.user_id as Int32Array,
      recs.tables.lists.anime_id as Int32Array,
      recs.meta.k as number,
    );
  }
  const runDir = writeRunFolder(options.resultsDir ?? defaultResultsDir(), spec.name, runId, files);
  return { runId, runDir, metrics, record };
}
