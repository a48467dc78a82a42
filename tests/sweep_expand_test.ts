/** Sweep expansion: grid order, seeded random draws, and how `--set` lists become axes. */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  expandTrials,
  gridProduct,
  randomDraws,
  type SweepDesign,
  trialCount,
} from "../runners/sweep/expand.ts";
import type { GridAxis } from "../runners/sweep/set_arguments.ts";
import {
  overrideFor,
  splitSetArguments,
  splitTopLevelCommas,
} from "../runners/sweep/set_arguments.ts";
import { drawValue } from "../runners/sweep/distributions.ts";
import { parseOverride } from "../runners/spec/overrides.ts";

const axis = (path: string, values: unknown[]): GridAxis => ({
  path: path.split("."),
  values,
  source: `sweep.grid.${path}`,
});

Deno.test("the grid is the product of the axes, first axis outermost", () => {
  const design: SweepDesign = {
    grid: [axis("model.k", [5, 10]), axis("model.lr", [0.1, 0.2, 0.3])],
    random: [],
    draws: 1,
    seed: 0,
  };
  const trials = expandTrials(design).map((t) => t.map((a) => `${a.path.join(".")}=${a.value}`));
  assert.deepEqual(trials, [
    ["model.k=5", "model.lr=0.1"],
    ["model.k=5", "model.lr=0.2"],
    ["model.k=5", "model.lr=0.3"],
    ["model.k=10", "model.lr=0.1"],
    ["model.k=10", "model.lr=0.2"],
    ["model.k=10", "model.lr=0.3"],
  ]);
  assert.equal(trialCount(design), 6);
});

Deno.test("property: grid size is the product of axis lengths, each combination once", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }), {
        minLength: 0,
        maxLength: 4,
      }),
      (lists) => {
        const product = gridProduct(lists);
        assert.equal(product.length, lists.reduce((n, l) => n * l.length, 1));
        const seen = new Set(product.map((combination) => JSON.stringify(combination)));
        assert.equal(seen.size, product.length, "no combination twice");
        for (const combination of product) {
          assert.equal(combination.length, lists.length);
          combination.forEach((value, a) => assert.ok(lists[a].includes(value as number)));
        }
        // Lexicographic in axis order: the same order as nested loops.
        const indices = product.map((c) => c.map((v, a) => lists[a].indexOf(v as number)));
        for (let i = 1; i < indices.length; i++) {
          assert.ok(compareTuples(indices[i - 1], indices[i]) < 0);
        }
      },
    ),
  );
});

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

Deno.test("random draws are seeded: same seed same trials, another seed other trials", () => {
  const random = [
    { path: ["model", "lr"], distribution: { loguniform: [1e-4, 1e-1] as [number, number] } },
    { path: ["model", "factors"], distribution: { int: [10, 200] as [number, number] } },
    { path: ["model", "variant"], distribution: { choice: ["fast", "surprise"] } },
  ].map((a) => ({ ...a, source: "sweep.random" }));
  const first = randomDraws(random, 20, 7);
  assert.deepEqual(randomDraws(random, 20, 7), first);
  assert.notDeepEqual(randomDraws(random, 20, 8), first);
  for (const [lr, factors, variant] of first) {
    assert.ok((lr as number) >= 1e-4 && (lr as number) < 1e-1);
    assert.ok(Number.isInteger(factors) && (factors as number) >= 10 && (factors as number) <= 200);
    assert.ok(variant === "fast" || variant === "surprise");
  }
  // Each axis has its own stream: dropping one leaves the others' draws unchanged.
  const withoutFactors = randomDraws([random[0], random[2]], 20, 7);
  assert.deepEqual(withoutFactors, first.map(([lr, , variant]) => [lr, variant]));
});

Deno.test("draws follow their distribution's ends (hand-worked random values)", () => {
  const at = (r: number) => () => r;
  assert.equal(drawValue({ uniform: [2, 4] }, at(0.25)), 2.5);
  assert.ok(Math.abs((drawValue({ loguniform: [1, 100] }, at(0.5)) as number) - 10) < 1e-12);
  assert.equal(drawValue({ int: [3, 5] }, at(0)), 3);
  assert.equal(drawValue({ int: [3, 5] }, at(0.9999)), 5, "the high end is included");
  assert.equal(drawValue({ choice: ["a", "b", "c"] }, at(0.5)), "b");
});

Deno.test("a random sweep with a grid axis crosses every combination with the same draws", () => {
  const design: SweepDesign = {
    grid: [axis("model.k", [5, 10])],
    random: [{ path: ["model", "lr"], distribution: { uniform: [0, 1] }, source: "x" }],
    draws: 3,
    seed: 1,
  };
  const trials = expandTrials(design);
  assert.equal(trials.length, 6);
  assert.equal(trialCount(design), 6);
  assert.deepEqual(trials.map((t) => t[0].value), [5, 5, 5, 10, 10, 10]);
  const lrs = trials.map((t) => t[1].value);
  assert.deepEqual(lrs.slice(0, 3), lrs.slice(3));
});

Deno.test("--set with a comma list is an axis; brackets and quotes keep their commas", () => {
  const { fixed, axes } = splitSetArguments([
    "data.scale=tiny",
    "model.k=5,10",
    "data.files=[ratings2018,ratings2023]",
    'description="a, b"',
    "evaluate.on=[test],[dev,test]",
  ]);
  assert.deepEqual(fixed.map((o) => [o.path.join("."), o.value]), [
    ["data.scale", "tiny"],
    ["data.files", ["ratings2018", "ratings2023"]],
    ["description", "a, b"],
  ]);
  assert.deepEqual(axes.map((a) => [a.path.join("."), a.values]), [
    ["model.k", [5, 10]],
    ["evaluate.on", [["test"], ["dev", "test"]]],
  ]);
  assert.deepEqual(splitTopLevelCommas("{a: 1, b: [2, 3]},'x,y',z"), [
    "{a: 1, b: [2, 3]}",
    "'x,y'",
    "z",
  ]);
});

Deno.test("property: a trial value survives the trip through a --set argument", () => {
  const value = fc.oneof(
    fc.double({ noNaN: true }),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), fc.double({ noNaN: true })), { maxLength: 3 }),
  );
  fc.assert(fc.property(value, (v) => {
    const override = overrideFor(["model", "x"], v);
    const reparsed = parseOverride(override.text).value;
    assert.deepEqual(reparsed, v);
    if (typeof v === "number") assert.ok(Object.is(reparsed, v));
  }));
});
