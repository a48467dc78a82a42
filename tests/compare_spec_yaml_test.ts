/** The fast spec.yaml reader agrees with the `yaml` package, or defers to it. */
import assert from "node:assert/strict";
import fc from "fast-check";
import YAML from "yaml";
import { FALLBACK, parseSpecYaml, readBlockSubset } from "../runners/run_folder/spec_yaml.ts";
import { toppopSpec } from "./compare_helpers.ts";

const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((k) => k !== "__proto__");
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom("10", "true", "null", "~", "a: b", "x #y", "-1", ".5", "ndcg@5", "a, b", "  x"),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.'@_-]{0,120}$/),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { spec } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(scalar, { maxLength: 4 }),
    tie("spec"),
  ),
  spec: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
}));

Deno.test("whenever the block subset applies, it reads what the yaml package reads", () => {
  fc.assert(
    fc.property(spec, (value) => {
      const text = YAML.stringify(value);
      const fast = readBlockSubset(text);
      if (fast !== FALLBACK) assert.deepEqual(fast, YAML.parse(text));
      assert.deepEqual(parseSpecYaml(text), YAML.parse(text));
    }),
    { numRuns: 300 },
  );
});

Deno.test("a resolved spec as the runner writes it takes the fast path", () => {
  const resolved = toppopSpec({ k: 20, candidates: "test_items" });
  const fast = readBlockSubset(YAML.stringify(resolved));
  assert.notEqual(fast, FALLBACK);
  assert.deepEqual(fast, resolved);
});

Deno.test("hand-written YAML outside the subset is read by the full parser", () => {
  const cases = [
    "# a comment\nname: x\n",
    "name: x # trailing comment\n",
    "base: &b {k: 1}\nother: *b\n",
    "description: >\n  folded\n  text\n",
    `description: ${"word ".repeat(30)}end\n`,
    "model:\n  type: toppop\n  k: 0x10\n",
    "files:\n- a\n- b\n",
    "text: 'single quoted'\n",
    'text: "tab\\there"\n',
  ];
  for (const text of cases) {
    assert.deepEqual(parseSpecYaml(text), YAML.parse(text), text);
  }
  assert.equal(readBlockSubset("# a comment\nname: x\n"), FALLBACK);
  assert.equal(readBlockSubset("name: x # trailing comment\n"), FALLBACK);
});
