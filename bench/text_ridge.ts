/**
 * The text ridge's fit time (issue 11, item 5): TF-IDF features plus the closed-form ridge
 * over bert.yaml's λ grid (9 values), wall and CPU seconds, on
 *
 * 1. the embedded default data (experiments/text-ridge.yaml's item protocol), and
 * 2. a generated full-MAL-sized item table: the 24,905-anime catalogue of the full scale
 *    (no rating files: the fit reads items only), cleaned as the study did (synopsis
 *    30..2000 characters, a numeric score), split 60% sample / 80% train as in the spec,
 *    and once more with every scored item (sample_frac 1), the largest fit a user can ask.
 *
 * The generated synopses draw on a small vocabulary, so the primal (columns) side is the
 * smaller one there; real synopses have more distinct words than training items, which makes
 * the dual the smaller side. `--dual` also times that case: the same rows solved in the dual.
 *
 *   deno run -A bench/text_ridge.ts [--threads 1] [--dual] [--features synopsis,genres,...]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cleanItems } from "../data/mal/clean.ts";
import { ANIME_DATASET_COLUMNS, UNKNOWN_SCORE } from "../data/mal/columns.ts";
import { buildCatalogue } from "../data/mal/generate/catalogue.ts";
import { generateHiddenItems } from "../data/mal/generate/hidden_items.ts";
import { Rng } from "../data/mal/generate/random.ts";
import { SCALES } from "../data/mal/generate/scales.ts";
import { parseFeatureLists } from "../data/item_features.ts";
import { itemSplit } from "../data/split/items.ts";
import { DEFAULT_LAMBDAS, type TextRidgeFeature } from "../models/text_ridge/config.ts";
import { designMatrix, type ItemColumns } from "../models/text_ridge/features.ts";
import { fitTextRidge } from "../models/text_ridge/fit.ts";
import { sliceRows } from "../models/text_ridge/sparse_rows.ts";
import { runCli } from "./cli_run.ts";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "1" },
    dual: { type: "boolean", default: false },
    features: { type: "string", default: "synopsis" },
  },
});
const threads = Number(args.threads);
const features = args.features.split(",") as TextRidgeFeature[];
const load = () => Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
/** CPU seconds of this process, all threads (Linux: utime + stime at 100 Hz). */
function cpuSeconds(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// 1. The embedded default data through the runner: the two model steps' seconds.
{
  const work = await Deno.makeTempDir({ prefix: "text-ridge-bench-" });
  const record = await runCli(
    join(import.meta.dirname!, "..", "experiments", "text-ridge.yaml"),
    [],
    { cacheDir: join(work, "cache"), resultsDir: join(work, "results") },
  );
  await Deno.remove(work, { recursive: true });
  const steps = record.steps;
  const seconds = (name: string) => steps.find((s) => s.name === name)!.seconds.toFixed(2);
  const solve = steps.find((s) => s.name === "fit_ridge")!.log?.[0];
  console.log(
    `embedded default: text_features ${seconds("text_features")} s, fit_ridge ` +
      `${seconds("fit_ridge")} s (${solve}); load ${load()}`,
  );
}

// 2. A full-MAL-sized item table.
const generated = performance.now();
const catalogue = buildCatalogue(2023, generateHiddenItems(new Rng(2023, "items"), SCALES.full));
const rows = catalogue.rows.filter((r): r is string[] => r !== null);
const column = (name: typeof ANIME_DATASET_COLUMNS[number]) =>
  rows.map((r) => r[ANIME_DATASET_COLUMNS.indexOf(name)]);
const synopsis = column("Synopsis");
const kept = cleanItems(synopsis, { synopsis_min: 30, synopsis_max: 2000 }).keep;
const score = column("Score").map((s) => (s === UNKNOWN_SCORE ? NaN : Number(s)));
const items: number[] = [];
for (let i = 0; i < rows.length; i++) if (kept[i] && !Number.isNaN(score[i])) items.push(i);
const lists = (name: "Genres" | "Type" | "Studios") => {
  const parsed = parseFeatureLists(column(name));
  return { ...parsed.byItem, names: parsed.names };
};
const columns: ItemColumns = {
  synopsis,
  genres: lists("Genres"),
  type: lists("Type"),
  studios: lists("Studios"),
};
console.log(
  `generated ${rows.length} anime, ${items.length} with a clean synopsis and a score, in ` +
    `${((performance.now() - generated) / 1000).toFixed(1)} s`,
);

for (const sample_frac of [0.6, 1]) {
  const split = itemSplit(Int32Array.from(items), {
    sample_frac,
    train: 0.8,
    rng: "seeded",
    seed: 42,
  });
  const all = Int32Array.from([...split.train, ...split.dev, ...split.test]);
  const target = (part: Int32Array) => Float64Array.from(part, (i) => score[i]);
  // the dual at the spec's protocol only: every scored item in the dual is ~5x its work
  const sides = args.dual && sample_frac < 1 ? [undefined, "dual" as const] : [undefined];
  for (const side of sides) {
    const cpu = cpuSeconds();
    const started = performance.now();
    const design = designMatrix(columns, features, split.train, all, {
      min_df: 2,
      max_features: 20_000,
      sublinear_tf: true,
    });
    const featureSeconds = (performance.now() - started) / 1000;
    const n = split.train.length;
    const result = await fitTextRidge(
      { x: sliceRows(design.x, 0, n), y: target(split.train) },
      { x: sliceRows(design.x, n, n + split.dev.length), y: target(split.dev) },
      DEFAULT_LAMBDAS,
      { threads, side },
    );
    const wall = (performance.now() - started) / 1000;
    const best = result.path.find((p) => p.lambda === result.best.lambda)!;
    console.log(
      `full-size items, sample_frac ${sample_frac}: ${n} train x ${design.x.cols} columns ` +
        `(${design.x.values.length} non-zeros); features ${featureSeconds.toFixed(2)} s, ` +
        `${result.side} ${result.order} x ${result.order} for ${DEFAULT_LAMBDAS.length} λ ` +
        `(Gram ${result.seconds.gram.toFixed(1)} s, Cholesky + solves ` +
        `${result.seconds.solves.toFixed(1)} s); ` +
        `total ${wall.toFixed(1)} s wall, ${(cpuSeconds() - cpu).toFixed(1)} CPU s ` +
        `(${threads} thread${threads > 1 ? "s" : ""}); dev-best λ ${best.lambda}, dev RMSE ` +
        `${best.dev_rmse.toFixed(4)}; load ${load()}`,
    );
  }
}
