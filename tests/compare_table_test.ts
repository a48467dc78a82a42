/** The comparison table: differing fields, metric columns, best marks, sort and filters. */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildComparison,
  type ComparisonTable,
  isBest,
  valueOf,
} from "../runners/compare/compare_table.ts";
import { parseCondition } from "../runners/compare/conditions.ts";
import { metricDirection } from "../runners/compare/metric_direction.ts";
import { UserError } from "../runners/errors.ts";
import type { Metrics } from "../runners/results.ts";
import { differingFields } from "../runners/run_folder/differing_fields.ts";
import { flattenSpec } from "../runners/run_folder/flatten_spec.ts";
import type { RunFolder } from "../runners/run_folder/read_run.ts";
import { caught } from "./helpers/assert.ts";
import { runId, toppopSpec } from "./compare_helpers.ts";

function run(i: number, spec: Record<string, unknown>, metrics: Metrics): RunFolder {
  return { id: runId(i), dir: `/r/${runId(i)}`, spec, specText: "", metrics };
}

// Three runs of one experiment: k=10 seen excluded, k=10 seen kept, k=5 (other metric names).
const runs = [
  run(1, toppopSpec(), {
    test: { "ndcg@10": 0.14, "popularity_percentile@10": 94.6 },
    dev: { "ndcg@10": 0.15 },
  }),
  run(2, toppopSpec({ exclude_seen: false }), {
    test: { "ndcg@10": 0.105, "popularity_percentile@10": 97.5 },
    dev: { "ndcg@10": 0.11 },
  }),
  run(3, toppopSpec({ k: 5 }), { test: { "ndcg@5": 0.095, "popularity_percentile@5": 96.8 } }),
];

const names = (table: ComparisonTable) => table.columns.map((c) => c.name);
const ids = (table: ComparisonTable) => table.rows.map((r) => r.run.id);

Deno.test("columns: run, the differing spec fields, then metrics part by part", () => {
  const table = buildComparison(runs);
  assert.deepEqual(names(table), [
    "run",
    "model.k",
    "model.exclude_seen",
    "test.ndcg@10",
    "test.popularity_percentile@10",
    "test.ndcg@5",
    "test.popularity_percentile@5",
    "dev.ndcg@10",
  ]);
  assert.equal(valueOf(table.rows[2], "model.k"), 5);
  assert.equal(valueOf(table.rows[2], "test.ndcg@10"), undefined);
});

Deno.test("best per column: higher for ndcg, lower for popularity_percentile; one value is no contest", () => {
  const table = buildComparison(runs);
  const column = (name: string) => table.columns.find((c) => c.name === name)!;
  assert.equal(column("test.ndcg@10").best, 0.14);
  assert.equal(column("test.popularity_percentile@10").best, 94.6);
  assert.equal(column("test.ndcg@5").best, undefined, "only one run has ndcg@5");
  assert.deepEqual(
    table.rows.map((r) => isBest(r, column("test.popularity_percentile@10"))),
    [true, false, false],
  );
});

Deno.test("metric directions, as documented", () => {
  assert.equal(metricDirection("ndcg@10"), "higher");
  assert.equal(metricDirection("coverage@10"), "higher");
  assert.equal(metricDirection("rmse"), "lower");
  assert.equal(metricDirection("mae"), "lower");
  assert.equal(metricDirection("popularity_percentile@10"), "lower");
  assert.equal(metricDirection("baseline_rmse"), "neutral");
});

Deno.test("identical values mark nothing; ties for best are all marked", () => {
  const same = { test: { "ndcg@10": 0.2 } };
  const table = buildComparison([run(1, toppopSpec(), same), run(2, toppopSpec(), same)]);
  assert.equal(table.columns.find((c) => c.name === "test.ndcg@10")!.best, undefined);
  assert.deepEqual(names(table), ["run", "test.ndcg@10"], "no spec field differs");
  const tied = buildComparison([
    run(1, toppopSpec(), same),
    run(2, toppopSpec(), same),
    run(3, toppopSpec(), { test: { "ndcg@10": 0.1 } }),
  ]);
  const column = tied.columns.find((c) => c.name === "test.ndcg@10")!;
  assert.deepEqual(tied.rows.map((r) => isBest(r, column)), [true, true, false]);
});

Deno.test("sort by a metric, ascending and descending; runs without it go last", () => {
  assert.deepEqual(ids(buildComparison(runs, { sort: "test.ndcg@10" })), [
    runId(2),
    runId(1),
    runId(3),
  ]);
  assert.deepEqual(ids(buildComparison(runs, { sort: "test.ndcg@10", descending: true })), [
    runId(1),
    runId(2),
    runId(3),
  ]);
  assert.deepEqual(ids(buildComparison(runs, { sort: "model.k" })), [runId(3), runId(1), runId(2)]);
});

Deno.test("--filter on any spec field and --where on metrics, all conditions must hold", () => {
  const where = (...texts: string[]) =>
    ids(buildComparison(runs, { conditions: texts.map((t) => parseCondition(t, "--where")) }));
  assert.deepEqual(where("model.k=10"), [runId(1), runId(2)]);
  assert.deepEqual(where("model.k==10", "model.exclude_seen=false"), [runId(2)]);
  assert.deepEqual(where("model.k!=10"), [runId(3)]);
  assert.deepEqual(where("test.ndcg@10>0.1"), [runId(1), runId(2)]);
  assert.deepEqual(where("test.ndcg@10 >= 0.14"), [runId(1)]);
  assert.deepEqual(where("evaluate.on=[test, dev]").length, 3, "a list compares whole");
  assert.deepEqual(where("name=toppop").length, 3, "fields equal everywhere still filter");
});

Deno.test("best marks and differing fields are computed over the kept rows only", () => {
  const table = buildComparison(runs, { conditions: [parseCondition("model.k=10", "--filter")] });
  assert.deepEqual(names(table).slice(0, 2), ["run", "model.exclude_seen"]);
  assert.equal(table.runsRead, 3);
  assert.equal(table.rows.length, 2);
});

async function userError(fn: () => unknown): Promise<string> {
  const error = await caught(fn);
  assert.ok(error instanceof UserError, String(error));
  return error.describe();
}

Deno.test("runs of different experiments are refused, listing them, unless --allow-mixed", async () => {
  const mixed = [...runs, run(4, toppopSpec({}, "svdpp"), { test: { rmse: 1.2 } })];
  const message = await userError(() => buildComparison(mixed));
  assert.match(message, /different experiments: toppop \(3 runs\), svdpp \(1 run\)/);
  assert.match(message, /--allow-mixed/);
  const table = buildComparison(mixed, { allowMixed: true });
  assert.ok(names(table).includes("name"), "the experiment name differs, so it is a column");
  const one = buildComparison(mixed, { conditions: [parseCondition("name=svdpp", "--filter")] });
  assert.deepEqual(ids(one), [runId(4)]);
});

Deno.test("unknown columns and conditions matching nothing are errors", async () => {
  assert.match(
    await userError(() => buildComparison(runs, { sort: "test.ndgc@10" })),
    /no spec field or metric 'test\.ndgc@10'.*did you mean 'test\.ndcg@10'/,
  );
  assert.match(
    await userError(() =>
      buildComparison(runs, { conditions: [parseCondition("model.kk=10", "--filter")] })
    ),
    /did you mean 'model\.k'/,
  );
  assert.match(
    await userError(() =>
      buildComparison(runs, { conditions: [parseCondition("test.ndcg@10>0.5", "--where")] })
    ),
    /no run matches the conditions \(3 runs read\)/,
  );
  assert.match(await userError(() => parseCondition("model.k", "--filter")), /--filter: expected/);
  assert.match(await userError(() => parseCondition("k>high", "--where")), /needs a number/);
});

Deno.test("differing fields: exactly the paths whose values are not all equal", () => {
  const leaf = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom("a", "b", null, true));
  const spec = fc.record({
    model: fc.record({ k: leaf, lr: leaf }, { requiredKeys: ["k"] }),
    seed: leaf,
    description: fc.string(),
  });
  fc.assert(fc.property(fc.array(spec, { minLength: 1, maxLength: 5 }), (specs) => {
    const flat = specs.map((s) => flattenSpec(s));
    const paths = ["model.k", "model.lr", "seed"];
    const expected = paths.filter((path) => {
      const values = new Set(flat.map((f) => f.has(path) ? JSON.stringify(f.get(path)) : "absent"));
      return values.size > 1;
    });
    assert.deepEqual([...differingFields(flat)].sort(), expected.sort());
  }));
});
