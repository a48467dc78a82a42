/**
 * End to end on the tiny embedded dataset: a run folder as DESIGN.md's contract says, a
 * fully cached re-run, partial re-runs after an override, and recovery from a corrupt
 * artifact or a killed step.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runExperiment } from "../runners/run.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import type { Experiment } from "../runners/spec/schema.ts";
import { ArtifactStore } from "../runners/cache/store.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { toFileUrl } from "../runners/paths.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const cacheDir = tempDir("e2e-cache-");

async function tinySpec(...overrides: string[]): Promise<Experiment> {
  const { spec } = await loadSpec(join(root, "experiments", "toppop.yaml"), [
    parseOverride("data.scale=tiny"),
    ...overrides.map(parseOverride),
  ]);
  return spec;
}

function run(spec: Experiment, resultsDir: string) {
  return runExperiment(spec, { cacheDir, resultsDir, quiet: true });
}

const statusOf = (outcome: Awaited<ReturnType<typeof run>>) =>
  Object.fromEntries(outcome.record.steps.map((s) => [s.name, s.status]));

Deno.test("a run writes the contract's run folder; a re-run is all cache hits", async () => {
  const resultsDir = tempDir("e2e-results-");
  const spec = await tinySpec();
  const first = await run(spec, resultsDir);
  const files = [...Deno.readDirSync(first.runDir)].map((e) => e.name).sort();
  assert.deepEqual(files, [
    "catalogue.arrow",
    "metrics.json",
    "metrics.md",
    "per_user_dev.arrow",
    "per_user_test.arrow",
    "recommendations.csv",
    "run.json",
    "spec.json",
    "spec.yaml",
  ]);
  assert.match(first.runId, /^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  assert.equal(first.runDir, join(resultsDir, "toppop", first.runId));

  const metrics = JSON.parse(Deno.readTextFileSync(join(first.runDir, "metrics.json")));
  for (
    const name of [
      "precision@10",
      "recall@10",
      "ndcg@10",
      "hit_rate@10",
      "mrr@10",
      "coverage@10",
      "popularity_percentile@10",
    ]
  ) {
    assert.equal(typeof metrics.test[name], "number", name);
    assert.equal(typeof metrics.dev[name], "number", name);
  }
  const csv = Deno.readTextFileSync(join(first.runDir, "recommendations.csv")).trim().split("\n");
  assert.equal(csv[0], "user_id,recommendations");
  const list = JSON.parse(csv[1].slice(csv[1].indexOf(",") + 1).replace(/^"|"$/g, ""));
  assert.equal(list.length, 10);
  const resolved = (await import("yaml")).parse(
    Deno.readTextFileSync(join(first.runDir, "spec.yaml")),
  );
  assert.deepEqual(resolved, JSON.parse(JSON.stringify(spec)), "spec.yaml is the resolved spec");
  assert.deepEqual(
    JSON.parse(Deno.readTextFileSync(join(first.runDir, "spec.json"))),
    resolved,
    "spec.json holds the same resolved spec",
  );

  const runJson = JSON.parse(Deno.readTextFileSync(join(first.runDir, "run.json")));
  assert.equal(runJson.run_id, first.runId);
  assert.ok(runJson.environment.deno && runJson.environment.cpu);
  assert.ok(runJson.steps.every((s: { cached: boolean }) => s.cached === false));

  const second = await run(spec, resultsDir);
  assert.notEqual(second.runDir, first.runDir);
  assert.ok(second.record.steps.every((s) => s.cached), JSON.stringify(statusOf(second)));
  assert.deepEqual(second.metrics, first.metrics);
  assert.equal(
    Deno.readTextFileSync(join(second.runDir, "recommendations.csv")),
    Deno.readTextFileSync(join(first.runDir, "recommendations.csv")),
  );
  // The older run folder is untouched.
  assert.deepEqual(JSON.parse(Deno.readTextFileSync(join(first.runDir, "metrics.json"))), metrics);
});

Deno.test("--set model.k=20 re-runs only recommend and evaluate", async () => {
  const resultsDir = tempDir("e2e-results-");
  await run(await tinySpec(), resultsDir);
  const outcome = await run(await tinySpec("model.k=20"), resultsDir);
  const status = statusOf(outcome);
  assert.equal(status.train, "cached");
  assert.equal(status.split, "cached");
  assert.equal(status.recommend, "computed");
  assert.equal(status.evaluate, "computed");
  assert.equal(status.dataset, "cached");
  assert.ok("precision@20" in outcome.metrics.test);
});

Deno.test("exclude_seen false (the study) changes the lists but not the trained model", async () => {
  const resultsDir = tempDir("e2e-results-");
  const sound = await run(await tinySpec(), resultsDir);
  const study = await run(await tinySpec("model.exclude_seen=false"), resultsDir);
  assert.equal(statusOf(study).train, "cached");
  assert.equal(statusOf(study).recommend, "computed");
  // Without exclusion every user gets the same list.
  const rows = Deno.readTextFileSync(join(study.runDir, "recommendations.csv")).trim().split("\n")
    .slice(1);
  const lists = new Set(rows.map((r) => r.slice(r.indexOf(",") + 1)));
  assert.equal(lists.size, 1);
  assert.notDeepEqual(sound.metrics, study.metrics);
});

Deno.test("a corrupt cached artifact is recomputed, with the same result", async () => {
  const resultsDir = tempDir("e2e-results-");
  const spec = await tinySpec();
  const first = await run(spec, resultsDir);
  const store = new ArtifactStore(cacheDir);
  const recommend = first.record.steps.find((s) => s.name === "recommend")!;
  const file = join(store.path(recommend.fingerprint), "lists.arrow");
  const bytes = Deno.readFileSync(file);
  bytes[bytes.length - 40] ^= 0x55;
  Deno.writeFileSync(file, bytes);
  const second = await run(spec, resultsDir);
  const record = second.record.steps.find((s) => s.name === "recommend")!;
  assert.equal(record.status, "computed");
  assert.match(record.log.join("\n"), /corrupt/);
  assert.deepEqual(second.metrics, first.metrics);
});

Deno.test("a step killed midway is recomputed; its leftovers are not trusted", async () => {
  const resultsDir = tempDir("e2e-results-");
  const spec = await tinySpec();
  const first = await run(spec, resultsDir);
  const store = new ArtifactStore(cacheDir);
  const train = first.record.steps.find((s) => s.name === "train")!;
  // What a run killed inside `train` leaves: no committed artifact for it or for anything
  // downstream, a half-written scratch folder, and a lock held by a process that is gone.
  for (const step of first.record.steps.slice(first.record.steps.indexOf(train))) {
    Deno.removeSync(store.path(step.fingerprint as Fingerprint), { recursive: true });
  }
  // The killed run: it took the step's lock and a scratch folder, wrote half a file, died.
  const cacheModule = (name: string) => toFileUrl(join(root, "runners", "cache", name)).href;
  const killed = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { StepLocks } from "${cacheModule("lock.ts")}";
       import { ArtifactStore } from "${cacheModule("store.ts")}";
       new StepLocks(${JSON.stringify(cacheDir)}).tryAcquire("${train.fingerprint}");
       const scratch = new ArtifactStore(${JSON.stringify(cacheDir)}).scratch();
       Deno.writeTextFileSync(scratch + "/params.arrow", "half written");
       Deno.exit(0);`,
    ],
  }).output();
  assert.equal(killed.code, 0);
  const second = await run(spec, resultsDir);
  assert.equal(statusOf(second).train, "computed");
  assert.deepEqual(second.metrics, first.metrics);
});

Deno.test("an edited metric in a cached manifest is caught and recomputed; --no-cache replaces a half copy", async () => {
  const resultsDir = tempDir("e2e-results-");
  try {
    const spec = await tinySpec();
    const first = await run(spec, resultsDir);
    const store = new ArtifactStore(cacheDir);
    const evaluate = first.record.steps.find((s) => s.name === "evaluate")!;
    const manifest = join(store.path(evaluate.fingerprint), "manifest.json");
    const text = Deno.readTextFileSync(manifest);
    const edited = text.replace(/("ndcg@10": )([0-9.]+)/, "$10.999");
    assert.notEqual(edited, text);
    Deno.writeTextFileSync(manifest, edited);
    const second = await run(spec, resultsDir);
    assert.equal(statusOf(second).evaluate, "computed");
    assert.deepEqual(second.metrics, first.metrics);
    // A half-copied cache: the folder is there, its manifest is not.
    const recommend = first.record.steps.find((s) => s.name === "recommend")!;
    Deno.removeSync(join(store.path(recommend.fingerprint), "manifest.json"));
    const third = await runExperiment(spec, { cacheDir, resultsDir, quiet: true, noCache: true });
    assert.deepEqual(third.metrics, first.metrics);
    assert.ok(await store.load(recommend.fingerprint));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
