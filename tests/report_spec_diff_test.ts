/** Which spec fields differ between runs, and the order runs are listed in. */
import assert from "node:assert/strict";
import { NOT_COMPARED } from "../runners/report/comparison_report.ts";
import {
  compareParamsBy,
  compareParamValues,
  shortParamNames,
} from "../runners/report/param_labels.ts";
import { differingFields } from "../runners/run_folder/differing_fields.ts";
import { flattenSpec } from "../runners/run_folder/flatten_spec.ts";

Deno.test("flattenSpec: dotted paths, lists kept whole, nulls and empty mappings kept", () => {
  const flat = flattenSpec({
    name: "x",
    data: { scale: "tiny", files: ["a", "b"], dir: null },
    sweep: {},
  });
  assert.deepStrictEqual([...flat], [
    ["name", "x"],
    ["data.scale", "tiny"],
    ["data.files", ["a", "b"]],
    ["data.dir", null],
    ["sweep", {}],
  ]);
});

Deno.test("differing fields: those that differ or are missing somewhere; names ignored", () => {
  const a = {
    name: "a",
    description: "one",
    seed: 1,
    model: { type: "svdpp", factors: 8, lr: 0.005 },
  };
  const b = {
    name: "b",
    description: "two",
    seed: 1,
    model: { type: "svdpp", factors: 16, lr: 0.005 },
  };
  const c = { name: "c", seed: 1, model: { type: "toppop" }, sweep: { grid: {} } };
  const differing = (specs: Record<string, unknown>[]) =>
    differingFields(specs.map(flattenSpec), { ignore: NOT_COMPARED });
  assert.deepStrictEqual(differing([a, b]), ["model.factors"]);
  assert.deepStrictEqual(differing([a, b, c]), ["model.type", "model.factors", "model.lr"]);
  assert.deepStrictEqual(differing([a, a]), []);
});

Deno.test("shortParamNames: last segment unless two paths share it", () => {
  const short = shortParamNames(["model.factors", "model.head.epochs", "model.epochs"]);
  assert.deepStrictEqual(short.get("model.factors"), "factors");
  assert.deepStrictEqual(short.get("model.epochs"), "model.epochs");
  assert.deepStrictEqual(short.get("model.head.epochs"), "model.head.epochs");
});

Deno.test("compareParamValues: numbers numerically (4 before 16), absent last", () => {
  const sorted = [16, 4, undefined, 8].sort(compareParamValues);
  assert.deepStrictEqual(sorted, [4, 8, 16, undefined]);
  assert.deepStrictEqual(["b", "a"].sort(compareParamValues), ["a", "b"]);
  const specs = [{ m: { f: 16, lr: 1 } }, { m: { f: 4, lr: 2 } }, { m: { f: 4, lr: 1 } }];
  const byFields = (x: Record<string, unknown>, y: Record<string, unknown>) =>
    compareParamsBy(["m.f", "m.lr"], flattenSpec(x), flattenSpec(y));
  assert.deepStrictEqual(specs.sort(byFields), [
    { m: { f: 4, lr: 1 } },
    { m: { f: 4, lr: 2 } },
    { m: { f: 16, lr: 1 } },
  ]);
});
