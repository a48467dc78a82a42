/**
 * The public extension API, used as a user would: from outside the project's modules,
 * register a model and a metric with one call each, then run specs naming them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import {
  loadSpec,
  metricNames,
  type ModelDefinition,
  modelTypes,
  registerMetric,
  registerModel,
  runExperiment,
  validateSpec,
} from "../mod.ts";

const LowestIdsConfig = z.strictObject({ skip: z.number().int().min(0).default(0) });

/** Recommends the lowest dense item indices (after `skip`), seen items excluded. */
const lowestIds: ModelDefinition<z.output<typeof LowestIdsConfig>> = {
  type: "lowest_ids",
  description: "the lowest item indices, the same list for everyone",
  modules: [import.meta.url],
  config: LowestIdsConfig,
  fit: (config, data) => ({ first: Int32Array.of(Math.min(config.skip, data.nItems)) }),
  recommend(_config, params, data, request) {
    const first = (params.first as Int32Array)[0];
    const out = new Int32Array(request.users.length * request.k).fill(-1);
    request.users.forEach((user, row) => {
      const seen = new Set<number>();
      const { exclude } = request;
      if (exclude) {
        for (let p = exclude.offsets[user]; p < exclude.offsets[user + 1]; p++) {
          seen.add(exclude.values[p]);
        }
      }
      let filled = 0;
      for (let item = first; item < data.nItems && filled < request.k; item++) {
        if (!seen.has(item)) out[row * request.k + filled++] = item;
      }
    });
    return out;
  },
};

registerModel(lowestIds);
registerMetric({
  kind: "ranking",
  name: "first_hit",
  description: "1 when the first recommended item is relevant",
  better: "higher",
  byDefault: true,
  perUser: (user) => user.hits[0],
});

const tinyData = { source: "mal", scale: "tiny" } as const;

async function withDirs(body: (dirs: { cacheDir: string; resultsDir: string }) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "extension_api_" });
  try {
    await body({ cacheDir: join(root, "cache"), resultsDir: join(root, "results") });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function readMetrics(runDir: string): Record<string, Record<string, number>> {
  return JSON.parse(Deno.readTextFileSync(join(runDir, "metrics.json")));
}

Deno.test("a model and a metric registered from outside are listed", () => {
  assert.ok(modelTypes().includes("lowest_ids"));
  assert.ok(metricNames().includes("first_hit"));
  assert.throws(() => registerModel(lowestIds), /already registered/);
  assert.throws(
    () => registerModel({ ...lowestIds, type: "no_modules", modules: [] }),
    /modules must list the file URLs of the model's code/,
  );
  assert.throws(
    () => registerMetric({ ...metricOfName("first_hit"), name: "Bad Name" }),
    /must be lower-case/,
  );
});

Deno.test("a YAML spec naming a registered model and metric runs, and metrics.json has both", async () => {
  await withDirs(async (dirs) => {
    const specFile = join(dirs.cacheDir, "..", "lowest.yaml");
    await Deno.writeTextFile(
      specFile,
      [
        "name: lowest",
        "data: { source: mal, scale: tiny }",
        "model: { type: lowest_ids, skip: 1, k: 5 }",
        "evaluate: { on: [test], metrics: [first_hit, precision@3] }",
      ].join("\n"),
    );
    const { spec } = await loadSpec(specFile);
    const outcome = await runExperiment(spec, { ...dirs, quiet: true });
    const metrics = readMetrics(outcome.runDir);
    assert.deepEqual(Object.keys(metrics.test).sort(), ["first_hit@5", "precision@3"]);
    assert.ok(metrics.test["first_hit@5"] >= 0 && metrics.test["first_hit@5"] <= 1);
  });
});

Deno.test("a TS spec without metrics scores the registered default metric", async () => {
  await withDirs(async (dirs) => {
    // defineExperiment types the built-in models only; validateSpec takes any object.
    const spec = validateSpec({
      name: "lowest-defaults",
      data: tinyData,
      model: { type: "lowest_ids", k: 4 },
      evaluate: { on: ["test"] },
    });
    const outcome = await runExperiment(spec, { ...dirs, quiet: true });
    const test = readMetrics(outcome.runDir).test;
    assert.ok("first_hit@4" in test, Object.keys(test).join(", "));
    assert.ok("precision@4" in test);
  });
});

Deno.test("an unknown field of a registered model is named", () => {
  assert.throws(
    () =>
      validateSpec({
        name: "x",
        model: { type: "lowest_ids", skp: 1 },
      }),
    /unknown field 'skp' \(did you mean 'skip'\?\)/,
  );
});

function metricOfName(name: string) {
  return {
    kind: "ranking" as const,
    name,
    description: "",
    better: "higher" as const,
    perUser: () => 0,
  };
}
