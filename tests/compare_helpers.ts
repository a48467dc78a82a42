/** Synthetic run folders in the runner's format, for the compare tests. */
import { join } from "node:path";
import YAML from "yaml";
import { encodeTable } from "../runners/cache/arrow_io.ts";
import type { Metrics } from "../runners/results.ts";
import type { Table } from "../runners/table.ts";

/** A resolved Top-Pop spec, as spec.json holds it (trimmed to the fields tests touch). */
export function toppopSpec(model: Record<string, unknown> = {}, name = "toppop") {
  return {
    name,
    description: "the most-rated anime for everyone, seen items excluded",
    seed: 42,
    data: { source: "mal", dir: null, scale: "tiny", files: ["ratings2018", "ratings2023"] },
    split: { method: "per_user", test: 1, dev: 1, rng: "seeded" },
    model: { type: "toppop", k: 10, exclude_seen: true, candidates: "all", ...model },
    evaluate: { on: ["test", "dev"], metrics: ["precision", "ndcg", "popularity_percentile"] },
    sweep: null,
  };
}

export interface FakeRun {
  id: string;
  spec: Record<string, unknown>;
  metrics: Metrics;
  /** part -> per-user table (user_id + metric columns) */
  perUser?: Record<string, Table>;
}

/**
 * Writes results/<name>/<id>/ with spec.json, spec.yaml, metrics.json, run.json and per-user
 * files (no checksums: compare does not verify them, `check` does).
 */
export function writeRun(experimentDir: string, run: FakeRun): string {
  const dir = join(experimentDir, run.id);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(join(dir, "spec.json"), JSON.stringify(run.spec, null, 2));
  Deno.writeTextFileSync(join(dir, "spec.yaml"), YAML.stringify(run.spec));
  Deno.writeTextFileSync(join(dir, "metrics.json"), JSON.stringify(run.metrics, null, 2) + "\n");
  Deno.writeTextFileSync(
    join(dir, "run.json"),
    JSON.stringify({ run_id: run.id, experiment: run.spec.name, steps: [] }),
  );
  for (const [part, table] of Object.entries(run.perUser ?? {})) {
    Deno.writeFileSync(join(dir, `per_user_${part}.arrow`), encodeTable(table));
  }
  return dir;
}

/** Run ids that sort in the given order: 20261129T08000<i>Z-00000<i>. */
export function runId(i: number): string {
  return `20261129T0800${String(i).padStart(2, "0")}Z-${String(i).padStart(6, "0")}`;
}
