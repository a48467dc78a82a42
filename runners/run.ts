import { join } from "node:path";
import { encodeTable } from "./cache/arrow_io.ts";
import { markRunInProgress } from "./cache/run_marks.ts";
import { captureEnvironment } from "./environment.ts";
import { executePlan, type StepRecord } from "./execute.ts";
import { defaultCacheDir, defaultResultsDir } from "./paths.ts";
import { planExperiment } from "./plan.ts";
import { ProgressReporter } from "./progress.ts";
import {
  type Metrics,
  metricsMarkdown,
  newRunId,
  predictionsCsv,
  recommendationsCsv,
  type RunRecord,
  specFingerprint,
} from "./results.ts";
import { metricsJson, type Uncertainty } from "./run_folder/metrics_file.ts";
import { foldOfStep, partKeyText, perUserFileName } from "./run_folder/part_key.ts";
import { writeRun } from "./run_folder/write_run.ts";
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
  /** confidence intervals, and standard deviations over folds, as metrics.json holds them */
  uncertainty: Uncertainty;
  record: RunRecord;
}

export { defaultCacheDir, defaultResultsDir };

/**
 * Plans, executes (from cache where possible) and records one experiment run. From
 * planning until its run folder is written, the run is marked in progress in the cache, so
 * a concurrent gc keeps the artifacts it uses and has yet to record.
 */
export async function runExperiment(
  spec: Experiment,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const unmark: Array<() => void> = [];
  try {
    return await executeAndRecord(spec, options, unmark);
  } finally {
    for (const remove of unmark) remove();
  }
}

async function executeAndRecord(
  spec: Experiment,
  options: RunOptions,
  unmark: Array<() => void>,
): Promise<RunOutcome> {
  const started = new Date();
  const steps = planExperiment(spec);
  const fingerprint = specFingerprint(spec);
  const runId = newRunId(started, fingerprint);
  const progress = new ProgressReporter(steps.length, options.quiet);
  // Every evaluate-like step (evaluate, evaluate_scores) reports metrics in its meta.
  const evaluations = steps.filter((s) => s.kind.kind.startsWith("evaluate"));
  const recommendations = steps.filter((s) => s.kind.kind === "recommend");
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const { records, artifacts, planFingerprint, filesDir } = await executePlan(steps, {
    cacheDir,
    noCache: options.noCache,
    progress,
    outputs: [...recommendations, ...evaluations].map((s) => s.name),
    runLabel: runId,
    onPlanned: (fingerprints) =>
      unmark.push(markRunInProgress(cacheDir, runId, fingerprints.values())),
  });

  const { metrics, uncertainty } = collectMetrics(
    evaluations.map((s) => ({ name: s.name, meta: artifacts.get(s.name)!.meta })),
  );
  const finished = new Date();
  const record: RunRecord = {
    run_id: runId,
    experiment: spec.name,
    spec_fingerprint: fingerprint,
    plan_fingerprint: planFingerprint,
    started: started.toISOString(),
    finished: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    peak_rss_mb: peakRssMb(),
    steps: records,
    environment: captureEnvironment(),
  };
  const files: Record<string, string | Uint8Array> = {
    "metrics.json": metricsJson(metrics, uncertainty),
    "metrics.md": metricsMarkdown(metrics, `${spec.name} — ${runId}`, uncertainty),
  };
  // Per-user metric values (Arrow IPC), for paired significance tests between runs.
  for (const step of evaluations) {
    const { tables, meta } = artifacts.get(step.name)!;
    if (!tables.per_user) continue;
    const [part] = Object.keys(meta.metrics as Metrics);
    files[perUserFileName({ part, fold: foldOfStep(step.name) })] = encodeTable(tables.per_user);
  }
  const catalogue = evaluations.map((s) => artifacts.get(s.name)!.tables.catalogue).find(Boolean);
  if (catalogue) files["catalogue.arrow"] = encodeTable(catalogue);
  const curves = learningCurvesCsv(records);
  if (curves) files["learning_curves.csv"] = curves;
  const lambdaPath = lambdaPathCsv(records);
  if (lambdaPath) files["lambda_path.csv"] = lambdaPath;
  const predictions = evaluations.map((s) => artifacts.get(s.name)!.tables.predictions).find(
    Boolean,
  );
  if (predictions) {
    files["predictions.csv"] = predictionsCsv(
      predictions.anime_id as Int32Array,
      predictions.score as Float64Array,
      predictions.pred_score as Float64Array,
    );
  }
  // Files a step made for the run folder (a fine-tuned model folder), from its artifact.
  for (const record of records) {
    for (const name of (record.meta?.run_folder_files ?? []) as string[]) {
      files[name] = Deno.readFileSync(join(filesDir(record.name), name));
    }
  }
  const testRecs = recommendations.find((s) => s.name === "recommend");
  if (testRecs) {
    const recs = artifacts.get(testRecs.name)!;
    files["recommendations.csv"] = recommendationsCsv(
      recs.tables.users.user_id as Int32Array,
      recs.tables.lists.anime_id as Int32Array,
      recs.meta.k as number,
    );
  }
  const runDir = writeRun(options.resultsDir ?? defaultResultsDir(), spec, record, files);
  return { runId, runDir, metrics, uncertainty, record };
}

/**
 * metrics.json from the evaluate steps: one entry per held-out part, with its confidence
 * intervals when the step computed them; with k folds, each fold under its part key
 * (`test_fold1`) and the mean over folds under the part's name, with the standard deviation
 * over folds beside it.
 */
export function collectMetrics(
  evaluations: Array<{ name: string; meta: Record<string, unknown> }>,
): { metrics: Metrics; uncertainty: Uncertainty } {
  const metrics: Metrics = {};
  const uncertainty: Uncertainty = { ci: {}, std: {} };
  const perFold: Record<string, Array<Record<string, number>>> = {};
  for (const { name, meta } of evaluations) {
    const fold = foldOfStep(name);
    const intervals = (meta.ci ?? {}) as Uncertainty["ci"];
    for (const [part, values] of Object.entries(meta.metrics as Metrics)) {
      const key = fold === undefined ? part : partKeyText({ part, fold });
      metrics[key] = values;
      if (intervals[part]) uncertainty.ci[key] = nanForNull(intervals[part]);
      if (fold !== undefined) (perFold[part] ??= []).push(values);
    }
  }
  for (const [part, folds] of Object.entries(perFold)) {
    const mean: Record<string, number> = {};
    const std: Record<string, number> = {};
    for (const name of Object.keys(folds[0])) {
      const spread = meanAndStd(folds.map((f) => f[name] ?? NaN));
      mean[name] = spread.mean;
      std[name] = spread.std;
    }
    // The mean first, so tables read "test, test_fold1, ...".
    const rest = { ...metrics };
    for (const key of Object.keys(metrics)) delete metrics[key];
    Object.assign(metrics, { [part]: mean }, rest);
    uncertainty.std[part] = std;
  }
  return { metrics, uncertainty };
}

/**
 * Mean and standard deviation of the fold values, the standard deviation with divisor k
 * (numpy's default, as Surprise's `cross_validate` reports it); NaN when a fold is NaN.
 */
export function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Intervals from a step's meta, where JSON turned NaN bounds into null. */
function nanForNull(
  intervals: Record<string, Array<number | null>>,
): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [name, [low, high]] of Object.entries(intervals)) {
    out[name] = [low ?? NaN, high ?? NaN];
  }
  return out;
}

/** `learning_curves.csv` (part,epoch,<curve>...) from the train steps' per-epoch figures. */
function learningCurvesCsv(records: StepRecord[]): string | undefined {
  const lines: string[] = [];
  let header: string[] | undefined;
  for (const record of records) {
    const curves = record.meta?.curves as Record<string, Array<number | null>> | undefined;
    if (!curves) continue;
    const names = Object.keys(curves);
    header ??= names;
    const epochs = curves[names[0]].length;
    for (let e = 0; e < epochs; e++) {
      const values = header.map((n) => curves[n]?.[e] ?? "");
      lines.push([record.name, e + 1, ...values].join(","));
    }
  }
  if (!header) return undefined;
  return [["part", "epoch", ...header].join(","), ...lines]
    .join("\n") + "\n";
}

/**
 * `lambda_path.csv` (lambda,train_rmse,dev_rmse,kept) from a fit step that tried several ridge
 * penalties (the text ridge): the λ analogue of the learning curves.
 */
function lambdaPathCsv(records: StepRecord[]): string | undefined {
  for (const record of records) {
    const path = record.meta?.lambda_path as
      | Array<{ lambda: number; train_rmse: number | null; dev_rmse: number | null }>
      | undefined;
    if (!path) continue;
    const kept = record.meta?.lambda;
    const rows = path.map((p) =>
      [p.lambda, p.train_rmse ?? "", p.dev_rmse ?? "", p.lambda === kept].join(",")
    );
    return ["lambda,train_rmse,dev_rmse,kept", ...rows].join("\n") + "\n";
  }
  return undefined;
}

/** The process's peak resident memory (Linux), for run.json; null elsewhere. */
export function peakRssMb(): number | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}
