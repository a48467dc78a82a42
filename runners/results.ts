import { dirname, join } from "node:path";
import type { Environment } from "./environment.ts";
import type { StepRecord } from "./execute.ts";
import { canonicalJson, sha256 } from "./fingerprint.ts";
import type { FileChecksums } from "./run_folder/checksums.ts";
import { pruneStaging, StagingFolder, type StagingOptions } from "./run_folder/staging.ts";
import type { Uncertainty } from "./run_folder/metrics_file.ts";
import type { Interval } from "./uncertainty/bootstrap.ts";

/** metrics.json: split name -> metric name -> mean value. */
export type Metrics = Record<string, Record<string, number>>;

export interface RunRecord {
  run_id: string;
  experiment: string;
  spec_fingerprint: string;
  /** covers every step's fingerprint (code, parameters, data); sweeps resume by it */
  plan_fingerprint: string;
  started: string;
  finished: string;
  seconds: number;
  /** peak resident memory of the run's process, in MiB (null where unknown) */
  peak_rss_mb: number | null;
  steps: StepRecord[];
  environment: Environment;
  /** sha256 of every other file of the run folder, written by `writeRun` */
  files?: FileChecksums;
}

/** `20261129T081500Z-<6 hex>`: sorts by time; the hash tells apart runs of one second. */
export function newRunId(now: Date, specFingerprint: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${
    sha256(`${specFingerprint}:${now.getTime()}:${crypto.randomUUID()}`).slice(0, 6)
  }`;
}

export function specFingerprint(spec: unknown): string {
  return sha256(canonicalJson(spec));
}

/**
 * Creates `results/<experiment>/<run id>/` and fails rather than reuse a folder, so an
 * older run is never overwritten. Files are written into a leased staging folder that is
 * renamed into place when complete (run_folder/staging.ts): a killed run leaves no
 * half-written run folder, and its staging folder is pruned once its lease expires.
 */
export function writeRunFolder(
  resultsDir: string,
  experiment: string,
  runId: string,
  files: Record<string, string | Uint8Array>,
  staging: StagingOptions = {},
): string {
  const parent = join(resultsDir, experiment);
  Deno.mkdirSync(parent, { recursive: true });
  pruneStaging(parent, staging);
  const target = join(parent, runId);
  if (exists(target)) throw new Error(`run folder ${target} already exists`);
  const folder = StagingFolder.create(parent, runId, staging);
  try {
    for (const [name, content] of Object.entries(files)) {
      // names may have folders (model/config.json)
      const path = join(folder.dir, name);
      Deno.mkdirSync(dirname(path), { recursive: true });
      if (typeof content === "string") Deno.writeTextFileSync(path, content);
      else Deno.writeFileSync(path, content);
    }
  } catch (error) {
    folder.abandon();
    throw error;
  }
  folder.commit(target);
  return target;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * A Markdown table of the metrics: one row per metric, one column per split; a value with
 * a confidence interval reads `0.1234 [0.1180, 0.1290]`, a mean over folds `0.1234 ± 0.0056`.
 */
export function metricsMarkdown(
  metrics: Metrics,
  title: string,
  uncertainty?: Uncertainty,
): string {
  const splits = Object.keys(metrics);
  const names = [...new Set(splits.flatMap((s) => Object.keys(metrics[s])))];
  const lines = [
    `# ${title}`,
    "",
    `| metric | ${splits.join(" | ")} |`,
    `|---|${splits.map(() => "---:").join("|")}|`,
    ...names.map((name) =>
      `| ${name} | ${splits.map((s) => cellOf(metrics, uncertainty, s, name)).join(" | ")} |`
    ),
  ];
  const note = uncertaintyNote(uncertainty);
  if (note) lines.push("", note);
  return lines.join("\n") + "\n";
}

/** The same table for a terminal: aligned plain text. */
export function metricsText(metrics: Metrics, uncertainty?: Uncertainty): string {
  const splits = Object.keys(metrics);
  const names = [...new Set(splits.flatMap((s) => Object.keys(metrics[s])))];
  const rows = [
    ["metric", ...splits],
    ...names.map((n) => [n, ...splits.map((s) => cellOf(metrics, uncertainty, s, n))]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  const note = uncertaintyNote(uncertainty);
  return [
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
    ...(note ? [note] : []),
  ].join("\n") + "\n";
}

function cellOf(
  metrics: Metrics,
  uncertainty: Uncertainty | undefined,
  part: string,
  name: string,
): string {
  return formatMetricCell(
    metrics[part][name],
    uncertainty?.ci[part]?.[name],
    uncertainty?.std[part]?.[name],
  );
}

/** What the brackets and ± of a table mean, when it shows any. */
function uncertaintyNote(uncertainty: Uncertainty | undefined): string | undefined {
  const notes = [];
  if (uncertainty && Object.keys(uncertainty.ci).length) {
    notes.push(
      "[low, high]: 95% bootstrap confidence interval (percentile; ranking metrics resample users, rating metrics the users of held-out rows)",
    );
  }
  if (uncertainty && Object.keys(uncertainty.std).length) {
    notes.push("mean ± standard deviation over folds");
  }
  return notes.length ? notes.join("; ") : undefined;
}

/**
 * A metric for people, to 4 decimals: `0.1234`, with its interval `0.1234 [0.1180, 0.1290]`
 * or its spread over folds `0.1234 ± 0.0056`; NaN or absent as empty, NaN bounds left out.
 */
export function formatMetricCell(value: number | undefined, ci?: Interval, std?: number): string {
  const text = formatMetric(value);
  if (!text) return text;
  if (std !== undefined && !Number.isNaN(std)) return `${text} ± ${std.toFixed(4)}`;
  if (ci && !Number.isNaN(ci[0]) && !Number.isNaN(ci[1])) {
    return `${text} [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]`;
  }
  return text;
}

function formatMetric(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** recommendations.csv as the study wrote it: `user_id,recommendations` (a JSON list). */
export function recommendationsCsv(userIds: Int32Array, animeIds: Int32Array, k: number): string {
  const lines = ["user_id,recommendations"];
  for (let r = 0; r < userIds.length; r++) {
    const list: number[] = [];
    for (let j = 0; j < k; j++) {
      const id = animeIds[r * k + j];
      if (id >= 0) list.push(id);
    }
    lines.push(`${userIds[r]},"[${list.join(", ")}]"`);
  }
  return lines.join("\n") + "\n";
}

/** predictions.csv as the study wrote it: `anime_id,score,pred_score`. */
export function predictionsCsv(
  animeId: Int32Array,
  score: Float64Array,
  predicted: Float64Array,
): string {
  const lines = ["anime_id,score,pred_score"];
  for (let i = 0; i < animeId.length; i++) lines.push(`${animeId[i]},${score[i]},${predicted[i]}`);
  return lines.join("\n") + "\n";
}
