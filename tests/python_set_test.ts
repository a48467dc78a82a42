import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { PythonIntSet } from "../data/rng/python_set.ts";

/** Orders recorded with CPython 3.11 by tests/fixtures/python/make.py (read its docstring). */
const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/python/set_orders.json", import.meta.url)),
) as {
  python: string;
  sets: Array<{
    name: string;
    inserted?: number[];
    order?: number[];
    generator?: { count: number; multiplier: number; modulus: number };
    size?: number;
    order_head?: number[];
    order_sha256?: string;
  }>;
  mutations: Array<
    { name: string; inserted: number[]; discarded: number[]; added: number[]; order: number[] }
  >;
  differences: Array<
    { name: string; set: number; other: number[]; other_kind: "set" | "list"; order: number[] }
  >;
};

/** `set(other)` for CPython's purposes: its distinct size and membership. */
function membersOf(values: number[]) {
  return new Set(values);
}

Deno.test("python set: list(set(ids)) in CPython's order, index for index", () => {
  assert.match(fixture.python, /^3\.11\./);
  for (const c of fixture.sets) {
    if (c.inserted === undefined) continue;
    assert.deepEqual(Array.from(PythonIntSet.from(c.inserted).values()), c.order, c.name);
  }
});

Deno.test("python set: large generated sets, through the used*2 growth above 50,000", () => {
  let checked = 0;
  for (const c of fixture.sets) {
    if (c.generator === undefined) continue;
    const { count, multiplier, modulus } = c.generator;
    const ids = Array.from({ length: count }, (_, i) => (i * multiplier) % modulus);
    const order = PythonIntSet.from(ids).values();
    assert.equal(order.length, c.size, c.name);
    assert.deepEqual(Array.from(order.subarray(0, 200)), c.order_head, c.name);
    const digest = createHash("sha256").update(order.join(",")).digest("hex");
    assert.equal(digest, c.order_sha256, c.name);
    checked++;
  }
  assert.equal(checked, 2);
});

Deno.test("python set: discards leave dummies that a later add reuses", () => {
  for (const c of fixture.mutations) {
    const set = PythonIntSet.from(c.inserted);
    for (const x of c.discarded) set.discard(x);
    for (const x of c.added) set.add(x);
    assert.deepEqual(Array.from(set.values()), c.order, c.name);
  }
});

Deno.test("python set: s - other and s.difference(list), every CPython path", () => {
  for (const c of fixture.differences) {
    const set = PythonIntSet.from(fixture.sets[c.set].inserted!);
    const other = membersOf(c.other);
    const result = set.difference(other, c.other_kind === "set");
    assert.deepEqual(Array.from(result.values()), c.order, c.name);
  }
});

Deno.test("python set: differenceKeepsCopyOrder says when s - other is the copy's order", () => {
  let kept = 0, notKept = 0;
  for (const c of fixture.differences) {
    if (c.other_kind !== "set") continue;
    const set = PythonIntSet.from(fixture.sets[c.set].inserted!);
    const other = membersOf(c.other);
    const common = [...other].filter((x) => set.has(x)).length;
    const copyOrder = Array.from(set.copy().values()).filter((x) => !other.has(x));
    const keeps = set.differenceKeepsCopyOrder(other.size, common);
    if (keeps) {
      kept++;
      assert.deepEqual(copyOrder, c.order, c.name);
    } else notKept++;
  }
  // the fixture has both kinds, and the copy's order differs from the set's own
  assert.ok(kept > 10 && notKept > 5, `${kept} kept, ${notKept} not`);
  const sample = fixture.sets.find((c) => c.name === "difference base 100")!;
  const set = PythonIntSet.from(sample.inserted!);
  assert.notDeepEqual(Array.from(set.copy().values()), Array.from(set.values()));
});

Deno.test("python set: ids outside 0..2^31-1 are refused", () => {
  assert.throws(() => PythonIntSet.from([-1]), /id -1 is not an integer/);
  assert.throws(() => PythonIntSet.from([2 ** 31]), /not an integer in 0..2\^31-1/);
  assert.throws(() => new PythonIntSet().add(1.5), /id 1.5/);
});
