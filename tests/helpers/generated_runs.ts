/**
 * Run folders and sweep records made by the runner's own writers (writeRun, metricsJson,
 * writeSweepRecord) from synthetic numbers: the results browser's tests and its benchmark
 * read exactly what a real run leaves, at any count, without training anything.
 */
import { join } from "node:path";
import { encodeTable } from "../../runners/cache/arrow_io.ts";
import type { Fingerprint } from "../../runners/fingerprint.ts";
import type { RunRecord } from "../../runners/results.ts";
import { metricsJson } from "../../runners/run_folder/metrics_file.ts";
import { writeRun } from "../../runners/run_folder/write_run.ts";
import { type PendingTrial, writeSweepRecord } from "../../runners/sweep/sweep_record.ts";
import type { TrialResult } from "../../runners/sweep/run_sweep.ts";
import type { PreparedSweep } from "../../runners/sweep/trials.ts";

export interface GeneratedRunsOptions {
  experiment?: string;
  /** per_user_test.arrow with this many users (paired tests); none by default */
  users?: number;
  /** the first run's start; each next one a second later */
  start?: number;
}

export const FACTORS = [8, 16, 32, 64];
export const LEARNING_RATES = [0.002, 0.005, 0.01, 0.02, 0.05];
const EPOCHS = 6;

/** `count` runs of an SVD sweep over factors x lr x seed; returns their folders, oldest first. */
export function writeGeneratedRuns(
  resultsDir: string,
  count: number,
  options: GeneratedRunsOptions = {},
): string[] {
  const experiment = options.experiment ?? "svd-sweep";
  const start = options.start ?? Date.UTC(2026, 10, 29, 8, 0, 0);
  const dirs: string[] = [];
  for (let i = 0; i < count; i++) {
    const factors = FACTORS[i % FACTORS.length];
    const lr = LEARNING_RATES[Math.floor(i / FACTORS.length) % LEARNING_RATES.length];
    const seed = 42 + Math.floor(i / (FACTORS.length * LEARNING_RATES.length));
    const spec = {
      name: experiment,
      description: "biased MF over factors and learning rate (generated)",
      seed,
      data: { source: "mal", scale: "small" },
      split: { method: "per_user", test: 1, dev: 1 },
      model: { type: "svd", factors, lr, epochs: EPOCHS, k: 10 },
      evaluate: { on: ["test", "dev"], metrics: ["precision@10", "ndcg@10", "rmse"] },
      sweep: null,
    };
    const quality = (Math.log2(factors) / 6) * (1 - Math.abs(Math.log10(lr / 0.01)) / 2);
    const jitter = ((i * 7919) % 101) / 10_000;
    const part = (shift: number) => ({
      "precision@10": 0.02 + 0.01 * quality + jitter + shift,
      "ndcg@10": 0.1 + 0.05 * quality + jitter + shift,
      rmse: 1.3 - 0.2 * quality - jitter,
    });
    const test = part(0);
    const dev = part(0.001);
    const ci = Object.fromEntries(
      Object.entries(test).map(([name, v]) => [name, [v * 0.97, v * 1.03] as [number, number]]),
    );
    const curves = {
      train_rmse: Array.from({ length: EPOCHS }, (_, e) => 1.1 - 0.05 * e * quality),
      dev_rmse: Array.from({ length: EPOCHS }, (_, e) => test.rmse + 0.3 / (e + 1)),
    };
    const when = new Date(start + i * 1000);
    const runId = `${when.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${
      ((i * 2654435761) >>> 8).toString(16).padStart(6, "0").slice(-6)
    }`;
    const files: Record<string, string | Uint8Array> = {
      "metrics.json": metricsJson({ test, dev }, { ci: { test: ci }, std: {} }),
      "metrics.md": `| metric | test |\n|---|---|\n| ndcg@10 | ${test["ndcg@10"]} |\n`,
      "learning_curves.csv": "part,epoch,train_rmse,dev_rmse\n" +
        curves.train_rmse.map((t, e) => `train,${e + 1},${t},${curves.dev_rmse[e]}`).join("\n") +
        "\n",
    };
    if (options.users) files["per_user_test.arrow"] = perUser(options.users, quality, i);
    dirs.push(writeRun(resultsDir, spec, record(experiment, runId, when, i, curves), files));
  }
  return dirs;
}

function record(
  experiment: string,
  runId: string,
  when: Date,
  i: number,
  curves: Record<string, number[]>,
): RunRecord {
  const step = (name: string, cached: boolean, meta: Record<string, unknown> = {}) => ({
    name,
    kind: name,
    fingerprint: `${name}-${i}`.padEnd(64, "0") as Fingerprint,
    cached,
    status: cached ? "cached" as const : "computed" as const,
    seconds: cached ? 0.01 : 1.5,
    log: cached ? [] : [`${name}: generated for the results browser`],
    meta,
  });
  return {
    run_id: runId,
    experiment,
    spec_fingerprint: String(i).padStart(64, "0"),
    plan_fingerprint: String(i).padStart(64, "1"),
    started: when.toISOString(),
    finished: new Date(when.getTime() + 3000).toISOString(),
    seconds: 3 + (i % 5),
    peak_rss_mb: 150,
    steps: [
      step("dataset", true),
      step("split", true),
      step("train", false, { curves }),
      step("evaluate", false),
    ],
    environment: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      packages: {},
      os: Deno.build.os,
      cpu: "generated",
      cores: 2,
      git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: i % 2 === 1 },
    },
  };
}

/** Per-user ndcg@10, precision@10 (hits over 10) for `users` users, better with quality. */
function perUser(users: number, quality: number, i: number): Uint8Array {
  let state = 1234 + i;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const hit = Float64Array.from({ length: users }, () => random() < 0.2 + 0.2 * quality ? 1 : 0);
  return encodeTable({
    user_id: Int32Array.from({ length: users }, (_, u) => u),
    "precision@10": hit.map((h) => h / 10),
    "ndcg@10": hit.map((h) => h / Math.log2(2 + Math.floor(random() * 10))),
  });
}

export interface GeneratedTrial {
  status: TrialResult["status"] | PendingTrial["status"];
  runDir?: string;
  seconds?: number;
  exitCode?: number;
  log?: string;
}

/** `<results>/<experiment>/.sweeps/<id>/sweep.json` as a sweep writes it; logs beside it. */
export function writeGeneratedSweep(
  resultsDir: string,
  experiment: string,
  sweepId: string,
  trials: GeneratedTrial[],
  finished: boolean,
): string {
  const dir = join(resultsDir, experiment, ".sweeps", sweepId);
  Deno.mkdirSync(dir, { recursive: true });
  const prepared = {
    file: "/specs/svd-sweep.yaml",
    base: { name: experiment },
    fixed: [],
    trials: trials.map((_, i) => ({
      index: i + 1,
      overrides: [{ text: `model.factors=${FACTORS[i % FACTORS.length]}` }],
      fingerprint: `trial-${i}`,
    })),
  } as unknown as PreparedSweep;
  const results = trials.map((t, i) => {
    const trial = prepared.trials[i];
    if (t.status === "running" || t.status === "pending") return { trial, status: t.status };
    let logFile: string | undefined;
    if (t.log !== undefined) {
      logFile = join(dir, `trial-${i + 1}.log`);
      Deno.writeTextFileSync(logFile, t.log);
    }
    return {
      trial,
      status: t.status,
      runDir: t.runDir,
      logFile,
      exitCode: t.exitCode,
      seconds: t.seconds,
    } as TrialResult;
  });
  const started = new Date(Date.UTC(2026, 10, 29, 9, 0, 0));
  writeSweepRecord(dir, prepared, {
    sweepId,
    seconds: 10,
    results,
    failed: trials.filter((t) => t.status === "failed").length,
  }, {
    started,
    finished: finished ? new Date(started.getTime() + 10_000) : null,
    jobs: 2,
    plans: new Map(),
    dirs: { cacheDir: join(resultsDir, ".cache"), resultsDir },
  });
  return dir;
}
