/** Fingerprints: canonical parameters, Merkle inputs, and the code that computes a step. */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { canonicalJson, implementationHash, stepFingerprint } from "../runners/fingerprint.ts";
import type { Fingerprint } from "../runners/fingerprint.ts";
import { codeClosure } from "../runners/module_graph.ts";
import { toFileUrl } from "../runners/paths.ts";
import { planExperiment } from "../runners/plan.ts";
import { validateSpec } from "../runners/spec/load.ts";

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

/** A module tree in a fresh temp folder: `base` with `changes` applied. */
function moduleTree(
  dirs: string[],
  base: Record<string, string>,
  changes: Record<string, string> = {},
): string {
  const dir = Deno.makeTempDirSync({ prefix: "impl-hash-" });
  dirs.push(dir);
  for (const [name, text] of Object.entries({ ...base, ...changes })) {
    Deno.writeTextFileSync(join(dir, name), text);
  }
  return dir;
}

// The hash memo is per process and per path: each variant lives in its own folder.
const hashOf = (dir: string, module: string, runtime?: string) =>
  implementationHash([toFileUrl(join(dir, module)).href], runtime);

Deno.test("the implementation hash follows relative imports transitively", () => {
  const dirs: string[] = [];
  try {
    const base = {
      "step.ts": 'import { helper } from "./helper.ts";\nexport const x = helper;\n',
      "helper.ts": 'import "./deep.ts";\nexport const helper = 1;\n',
      "deep.ts": "export const deep = 1;\n",
      "unrelated.ts": "export const other = 1;\n",
    };
    const first = hashOf(moduleTree(dirs, base), "step.ts");
    const deep = hashOf(
      moduleTree(dirs, base, { "deep.ts": "export const deep = 2;\n" }),
      "step.ts",
    );
    assert.notEqual(deep, first, "a change two imports deep must change the hash");
    const other = moduleTree(dirs, base, { "unrelated.ts": "export const other = 2;\n" });
    assert.equal(hashOf(other, "step.ts"), first);
  } finally {
    for (const dir of dirs) Deno.removeSync(dir, { recursive: true });
  }
});

const project = {
  "deno.json": JSON.stringify({
    imports: { "left-pad": "npm:left-pad@1.3.0", other: "npm:other@2.0.0" },
  }),
  "deno.lock": JSON.stringify({
    version: "5",
    specifiers: { "npm:left-pad@1.3.0": "1.3.0", "npm:other@2.0.0": "2.0.0" },
    npm: {
      "left-pad@1.3.0": { integrity: "sha512-pad", dependencies: ["tiny-dep"] },
      "tiny-dep@1.0.0": { integrity: "sha512-tiny" },
      "other@2.0.0": { integrity: "sha512-other" },
    },
  }),
  "step_a.ts": [
    'import type { Shape } from "./types.ts";',
    'export type { Other } from "./more_types.ts";',
    "import {",
    "  type Mixed,",
    "  value,",
    '} from "./values.ts";',
    'import pad from "left-pad";',
    'const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });',
    'const lazy = () => import("./lazy.ts");',
    'type Lazy = typeof import("./type_of.ts");',
    "export { lazy, pad, value, worker };",
    "export type { Lazy, Mixed, Shape };",
    "",
  ].join("\n"),
  "step_b.ts": 'import { value } from "./values.ts";\nexport const b = value;\n',
  "types.ts": "export interface Shape { a: number }\n",
  "more_types.ts": "export interface Other { b: number }\n",
  "values.ts": "export type Mixed = number;\nexport const value = 1;\n",
  "worker.ts": "self.onmessage = () => {};\n",
  "lazy.ts": "export const lazy = 1;\n",
  "type_of.ts": "export const typeOnly = 1;\n",
};

Deno.test("only imports that run code count: type-only imports do not, workers and dynamic imports do", () => {
  const dirs: string[] = [];
  try {
    const reference = hashOf(moduleTree(dirs, project), "step_a.ts");
    const comment = "// an edit, e.g. a comment\n";
    for (const typeOnly of ["types.ts", "more_types.ts", "type_of.ts"] as const) {
      const edited = moduleTree(dirs, project, { [typeOnly]: comment + project[typeOnly] });
      assert.equal(hashOf(edited, "step_a.ts"), reference, `${typeOnly} is type-only`);
    }
    for (const runs of ["values.ts", "worker.ts", "lazy.ts", "step_a.ts"] as const) {
      const edited = moduleTree(dirs, project, { [runs]: comment + project[runs] });
      assert.notEqual(hashOf(edited, "step_a.ts"), reference, `${runs} runs`);
    }
  } finally {
    for (const dir of dirs) Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a locked package version (or a dependency of it) and the runtime enter the hash", () => {
  const dirs: string[] = [];
  try {
    const before = moduleTree(dirs, project);
    const lock = JSON.parse(project["deno.lock"]);
    const bumped = structuredClone(lock);
    bumped.npm["tiny-dep@1.0.0"] = { integrity: "sha512-tiny-1.0.1" };
    const after = moduleTree(dirs, project, { "deno.lock": JSON.stringify(bumped) });
    assert.notEqual(hashOf(after, "step_a.ts"), hashOf(before, "step_a.ts"), "imports left-pad");
    assert.equal(hashOf(after, "step_b.ts"), hashOf(before, "step_b.ts"), "imports no package");
    const moved = structuredClone(lock);
    moved.specifiers["npm:left-pad@1.3.0"] = "1.3.1";
    moved.npm["left-pad@1.3.1"] = moved.npm["left-pad@1.3.0"];
    const other = moduleTree(dirs, project, { "deno.lock": JSON.stringify(moved) });
    assert.notEqual(hashOf(other, "step_a.ts"), hashOf(before, "step_a.ts"));
    assert.notEqual(
      hashOf(before, "step_b.ts", "deno 9.9.9 linux-x86_64"),
      hashOf(before, "step_b.ts"),
      "another Deno version or platform",
    );
  } finally {
    for (const dir of dirs) Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("in this project, split's code does not include the SVD++ trainer", () => {
  const split = new URL("../runners/steps/split.ts", import.meta.url).href;
  const files = [...codeClosure([split]).files.keys()];
  assert.ok(files.some((f) => f.endsWith(join("runners", "steps", "split.ts"))));
  assert.deepEqual(files.filter((f) => f.includes(join("models", "svdpp"))), []);
});

Deno.test("an import marked `fingerprint: dispatch` is not followed", () => {
  const dir = Deno.makeTempDirSync({ prefix: "fingerprint-dispatch-" });
  try {
    Deno.writeTextFileSync(join(dir, "model_a.ts"), "export const a = 1;\n");
    Deno.writeTextFileSync(join(dir, "model_b.ts"), "export const b = 2;\n");
    Deno.writeTextFileSync(
      join(dir, "registry.ts"),
      'import { a } from "./model_a.ts";\nimport { b } from "./model_b.ts";\nexport const all = { a, b };\n',
    );
    Deno.writeTextFileSync(
      join(dir, "step.ts"),
      '// fingerprint: dispatch (the planner adds the model picked)\nimport { all } from "./registry.ts";\nimport "./helper.ts";\nexport const run = () => all;\n',
    );
    Deno.writeTextFileSync(join(dir, "helper.ts"), "export {};\n");
    const names = (urls: string[]) =>
      [...codeClosure(urls).files.keys()].map((f) => f.slice(dir.length + 1)).sort();
    const step = toFileUrl(join(dir, "step.ts")).href;
    assert.deepEqual(names([step]), ["helper.ts", "step.ts"]);
    assert.deepEqual(names([step, toFileUrl(join(dir, "model_a.ts")).href]), [
      "helper.ts",
      "model_a.ts",
      "step.ts",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("in this project, Top-Pop's steps run no SVD++ code; SVD++'s train step does", () => {
  const codeOf = (type: string, step: string) => {
    const spec = validateSpec({ name: "x", data: { scale: "tiny" }, model: { type } });
    const planned = planExperiment(spec).find((s) => s.name === step)!;
    return [...codeClosure([...planned.kind.modules, ...planned.modules ?? []]).files.keys()];
  };
  const svdppFiles = (files: string[]) => files.filter((f) => f.includes(join("models", "svdpp")));
  for (const step of ["train", "recommend", "evaluate"]) {
    assert.deepEqual(svdppFiles(codeOf("toppop", step)), [], `toppop ${step}`);
  }
  assert.ok(svdppFiles(codeOf("svdpp", "train")).some((f) => f.endsWith("train_fast.ts")));
  assert.ok(codeOf("toppop", "train").some((f) => f.endsWith(join("models", "toppop.ts"))));
});
