/** Fingerprints: canonical parameters, Merkle inputs, and the code that computes a step. */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { canonicalJson, implementationHash, stepFingerprint } from "../runners/fingerprint.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { toFileUrl } from "../runners/paths.ts";

const jsonValue = fc.jsonValue({ maxDepth: 3 });

function shuffledKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffledKeys(v, random));
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, shuffledKeys(v, random)] as const);
    entries.sort(() => random() - 0.5);
    return Object.fromEntries(entries);
  }
  return value;
}

Deno.test("canonical JSON does not depend on key order", () => {
  fc.assert(
    fc.property(jsonValue, fc.integer(), (value, seed) => {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      assert.equal(canonicalJson(shuffledKeys(value, random)), canonicalJson(value));
    }),
  );
});

const base = {
  kind: "train",
  implementation: "impl",
  params: { lr: 0.005, factors: 80 },
  inputs: { split: "a".repeat(64) as Fingerprint },
};

Deno.test("every part of a step changes its fingerprint", () => {
  const reference = stepFingerprint(base);
  assert.equal(stepFingerprint(structuredClone(base)), reference);
  assert.notEqual(stepFingerprint({ ...base, kind: "recommend" }), reference);
  assert.notEqual(stepFingerprint({ ...base, implementation: "impl2" }), reference);
  assert.notEqual(
    stepFingerprint({ ...base, inputs: { split: "b".repeat(64) as Fingerprint } }),
    reference,
  );
  assert.notEqual(stepFingerprint({ ...base, rawFiles: { "a.csv": "00" } }), reference);
});

Deno.test("any change of any parameter value changes the fingerprint", () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.boolean()),
      ),
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.integer(),
      (params, key, value) => {
        fc.pre(params[key] !== value && !Object.is(params[key], value));
        const before = stepFingerprint({ ...base, params });
        const after = stepFingerprint({ ...base, params: { ...params, [key]: value } });
        assert.notEqual(after, before);
      },
    ),
  );
});

Deno.test("the implementation hash follows relative imports transitively", () => {
  const dir = Deno.makeTempDirSync({ prefix: "impl-hash-" });
  Deno.writeTextFileSync(
    join(dir, "step.ts"),
    'import { helper } from "./helper.ts";\nexport const x = helper;\n',
  );
  Deno.writeTextFileSync(join(dir, "helper.ts"), 'import "./deep.ts";\nexport const helper = 1;\n');
  Deno.writeTextFileSync(join(dir, "deep.ts"), "export const deep = 1;\n");
  Deno.writeTextFileSync(join(dir, "unrelated.ts"), "export const other = 1;\n");
  const url = toFileUrl(join(dir, "step.ts")).href;
  const first = implementationHash([url]);
  // The hash memo is per process and per path: edit through new paths to observe a change.
  const dir2 = Deno.makeTempDirSync({ prefix: "impl-hash-" });
  for (const name of ["step.ts", "helper.ts", "unrelated.ts"]) {
    Deno.copyFileSync(join(dir, name), join(dir2, name));
  }
  Deno.writeTextFileSync(join(dir2, "deep.ts"), "export const deep = 2;\n");
  const second = implementationHash([toFileUrl(join(dir2, "step.ts")).href]);
  assert.notEqual(second, first, "a change two imports deep must change the hash");
  const dir3 = Deno.makeTempDirSync({ prefix: "impl-hash-" });
  for (const name of ["step.ts", "helper.ts", "deep.ts"]) {
    Deno.copyFileSync(join(dir, name), join(dir3, name));
  }
  Deno.writeTextFileSync(join(dir3, "unrelated.ts"), "export const other = 2;\n");
  assert.equal(implementationHash([toFileUrl(join(dir3, "step.ts")).href]), first);
});
