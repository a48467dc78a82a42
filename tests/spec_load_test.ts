/** Spec loading: defaults, TS specs, overrides, and errors that name file, field and line. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../runners/errors.ts";
import { loadSpec, validateSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";

const dir = Deno.makeTempDirSync({ prefix: "spec-test-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
function specFile(name: string, text: string): string {
  const path = join(dir, name);
  Deno.writeTextFileSync(path, text);
  return path;
}

async function userError(fn: () => unknown): Promise<UserError> {
  const error = await caught(fn);
  assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
  return error;
}

Deno.test("a minimal YAML spec gets every default", async () => {
  const file = specFile("min.yaml", "name: demo\nmodel:\n  type: toppop\n");
  const { spec } = await loadSpec(file);
  assert.equal(spec.seed, 42);
  assert.equal(spec.data.source, "mal");
  assert.equal(spec.data.dir, null);
  assert.equal(spec.data.clean.synopsis_min, 30);
  assert.equal(spec.data.clean.synopsis_max, 2000);
  assert.deepEqual(spec.data.files, ["ratings2018", "ratings2023"]);
  assert.deepEqual(spec.split, { method: "per_user", test: 1, dev: 1, rng: "seeded" });
  assert.deepEqual(spec.sample, { train_frac: 1, test_users: null, dev_users: null });
  assert.deepEqual(spec.model, { type: "toppop", k: 10, exclude_seen: true, candidates: "all" });
});

Deno.test("a TS spec validates with the same schema", async () => {
  const { spec } = await loadSpec(
    join(import.meta.dirname!, "..", "experiments", "toppop-tiny.ts"),
  );
  assert.equal(spec.name, "toppop-tiny");
  assert.equal(spec.data.scale, "tiny");
  assert.equal(spec.model.type, "toppop");
});

Deno.test("--set overrides parse values as YAML scalars and apply by dotted path", async () => {
  const file = specFile("set.yaml", "name: demo\nmodel:\n  type: toppop\n");
  const { spec } = await loadSpec(file, [
    parseOverride("model.k=20"),
    parseOverride("data.dir=/data/mal"),
    parseOverride("model.exclude_seen=false"),
  ]);
  assert.deepEqual(spec.model, { type: "toppop", k: 20, exclude_seen: false, candidates: "all" });
  assert.equal(spec.data.dir, "/data/mal");
});

Deno.test("a missing spec file is a UserError naming the file", async () => {
  const error = await userError(() => loadSpec(join(dir, "absent.yaml")));
  assert.match(error.describe(), /absent\.yaml: spec file not found/);
});

Deno.test("a YAML syntax error names the line", async () => {
  const file = specFile("broken.yaml", "name: demo\nmodel:\n  type: [toppop\n");
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /YAML syntax error/);
  assert.ok(error.location.line !== undefined && error.location.line >= 3);
});

Deno.test("an unknown model type suggests the closest one", async () => {
  const file = specFile("type.yaml", "name: demo\nmodel:\n  type: toppops\n");
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /unknown model type 'toppops' \(did you mean 'toppop'\?\)/);
  assert.equal(error.location.path, "model.type");
  assert.equal(error.location.line, 3);
});

Deno.test("an unknown field is an error with did-you-mean and its line", async () => {
  const file = specFile("key.yaml", "name: demo\nsplit:\n  tset: 1\nmodel:\n  type: toppop\n");
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /unknown field 'tset' \(did you mean 'test'\?\)/);
  assert.equal(error.location.path, "split.tset");
  assert.equal(error.location.line, 3);
});

Deno.test("a split method's own fields are checked, with did-you-mean", async () => {
  const file = specFile(
    "kf.yaml",
    "name: demo\nsplit:\n  method: kfold\n  fold: 5\nmodel:\n  type: svd\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /unknown field 'fold' \(did you mean 'folds'\?\)/);
  assert.equal(error.location.line, 4);
  const ok = await loadSpec(
    specFile("kf2.yaml", "name: demo\nsplit: {method: kfold}\nmodel: {type: svd}\n"),
  );
  assert.deepEqual(ok.spec.split, { method: "kfold", folds: 5, rng: "seeded" });
});

Deno.test("an unknown field inside a model names the model's fields", async () => {
  const file = specFile("mkey.yaml", "name: demo\nmodel:\n  type: toppop\n  exclude_sen: true\n");
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /did you mean 'exclude_seen'/);
  assert.equal(error.location.line, 4);
});

Deno.test("k = 0 is out of range, with field path and line", async () => {
  const file = specFile("k0.yaml", "name: demo\nmodel:\n  type: toppop\n  k: 0\n");
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "model.k");
  assert.equal(error.location.line, 4);
  assert.match(error.describe(), /k0\.yaml:4: model\.k: /);
});

Deno.test("a hyperparameter of the wrong type is an error", async () => {
  const file = specFile("type2.yaml", "name: demo\nmodel:\n  type: toppop\n  k: ten\n");
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "model.k");
  assert.match(error.message, /number/);
});

Deno.test("an override that breaks the spec says it came from --set", async () => {
  const file = specFile("o.yaml", "name: demo\nmodel:\n  type: toppop\n");
  const error = await userError(() => loadSpec(file, [parseOverride("model.k=-3")]));
  assert.match(error.message, /from --set model\.k=-3/);
  const unknown = await userError(() => loadSpec(file, [parseOverride("data.scael=tiny")]));
  assert.match(unknown.message, /did you mean 'scale'/);
});

Deno.test("a model's own cross-field checks apply in a spec", async () => {
  const file = specFile(
    "thr.yaml",
    "name: demo\nmodel:\n  type: svdpp\n  variant: surprise\n  threads: 2\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "model.threads");
  assert.match(error.message, /threads > 1 needs variant fast/);
});

Deno.test("a malformed --set is rejected", () => {
  assert.throws(() => parseOverride("model.k"), UserError);
  assert.throws(() => parseOverride("model..k=1"), UserError);
});

Deno.test("validateSpec checks in-memory specs (the API path)", async () => {
  assert.equal(validateSpec({ name: "x", model: { type: "toppop" } }).model.type, "toppop");
  const error = await userError(() =>
    validateSpec({ name: "Bad Name", model: { type: "toppop" } })
  );
  assert.equal(error.location.path, "name");
});

Deno.test("a metric cutoff deeper than model.k is refused with its line, in the file or by --set", async () => {
  const file = specFile(
    "cut.yaml",
    "name: demo\nmodel:\n  type: toppop\n  k: 10\nevaluate:\n  metrics:\n    - precision\n" +
      "    - ndcg@20\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "evaluate.metrics.1");
  assert.equal(error.location.line, 8);
  assert.match(error.message, /'ndcg@20' cuts at 20, deeper than the lists of model\.k 10/);
  const fine = specFile(
    "cut2.yaml",
    "name: demo\nmodel: {type: toppop}\nevaluate: {metrics: [ndcg@5]}\n",
  );
  const lowered = await userError(() => loadSpec(fine, [parseOverride("model.k=3")]));
  assert.match(lowered.message, /model\.k 3/);
  assert.equal((await loadSpec(fine)).spec.evaluate.metrics?.[0], "ndcg@5");
});

Deno.test("svdpp variant surprise refuses precision float32 up front", async () => {
  const file = specFile(
    "prec.yaml",
    "name: demo\nmodel:\n  type: svdpp\n  variant: surprise\n  precision: float32\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "model.precision");
  assert.equal(error.location.line, 5);
  assert.match(error.message, /variant surprise computes in float64/);
});

Deno.test("a rating file listed twice in data.files is an error at its line", async () => {
  const file = specFile(
    "files.yaml",
    "name: demo\ndata:\n  files:\n    - ratings2023\n    - ratings2023\nmodel: {type: toppop}\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "data.files.1");
  assert.equal(error.location.line, 5);
  assert.match(error.message, /'ratings2023' is listed twice/);
});

Deno.test("a name longer than a folder name may be is refused", async () => {
  const file = specFile("long.yaml", `name: ${"a".repeat(256)}\nmodel: {type: toppop}\n`);
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "name");
  assert.match(error.message, /at most 255/);
  const ok = specFile("long2.yaml", `name: ${"a".repeat(255)}\nmodel: {type: toppop}\n`);
  assert.equal((await loadSpec(ok)).spec.name.length, 255);
});

Deno.test("fraction split: test + dev must leave training rows", async () => {
  const file = specFile(
    "frac.yaml",
    "name: demo\nsplit:\n  method: fraction\n  test: 0.5\n  dev: 0.5\nmodel: {type: toppop}\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "split.dev");
  assert.match(error.message, /leave no training rows/);
});

Deno.test("clean.duplicates defaults to keep; a wrong value suggests the right one", async () => {
  const { spec } = await loadSpec(specFile("dup.yaml", "name: demo\nmodel: {type: toppop}\n"));
  assert.equal(spec.data.clean.duplicates, "keep");
  const file = specFile(
    "dup2.yaml",
    "name: demo\ndata:\n  clean:\n    duplicates: dorp\nmodel: {type: toppop}\n",
  );
  const error = await userError(() => loadSpec(file));
  assert.equal(error.location.path, "data.clean.duplicates");
  assert.equal(error.location.line, 4);
  assert.match(error.message, /did you mean 'drop'/);
});

Deno.test("a YAML alias bomb is refused as bad input, at the first alias", async () => {
  const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) {
    levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  }
  const file = specFile("bomb.yaml", `name: demo\n${levels.join("\n")}\nmodel: {type: toppop}\n`);
  const error = await userError(() => loadSpec(file));
  assert.match(error.message, /YAML aliases expand too far/);
  assert.equal(error.location.line, 3);
  // A few aliases are ordinary YAML.
  const fine = specFile("alias.yaml", "name: demo\nmodel: &m {type: toppop}\ndescription: x\n");
  assert.equal((await loadSpec(fine)).spec.model.type, "toppop");
});

const badTsSpecs = [
  {
    name: "throws.ts",
    text: 'const name = "demo";\nthrow new Error("no spec today");\nexport default { name };\n',
    message: /the TS spec could not be loaded: no spec today/,
    line: 2,
  },
  {
    name: "syntax.ts",
    text: 'export default {\n  name: "demo",\n  model: { type: "toppop" \n',
    message: /the TS spec could not be loaded: SyntaxError/,
    line: 3,
  },
  {
    name: "import.ts",
    text: 'import { x } from "./nowhere.ts";\nexport default { name: x };\n',
    message: /the TS spec could not be loaded: Module not found/,
    line: 1,
  },
  {
    name: "function.ts",
    text: 'export default { name: "demo", model: { type: "toppop" }, seed: () => 1 };\n',
    message: /a spec holds plain data only/,
    line: undefined,
  },
];
for (const { name, text, message, line } of badTsSpecs) {
  Deno.test(`a TS spec that cannot be loaded (${name}) is a UserError naming the file`, async () => {
    const error = await userError(() => loadSpec(specFile(name, text)));
    assert.match(error.message, message);
    assert.match(error.location.file ?? "", new RegExp(`${name.replace(".", "\\.")}$`));
    assert.equal(error.location.line, line);
  });
}

Deno.test("a relative spec path is looked for in the current folder, then the project root", async () => {
  const here = Deno.cwd();
  Deno.chdir(dir);
  try {
    specFile("mine.yaml", "name: mine\nmodel: {type: toppop}\n");
    assert.equal((await loadSpec("mine.yaml")).spec.name, "mine");
    const { spec } = await loadSpec("experiments/toppop-tiny.ts");
    assert.equal(spec.name, "toppop-tiny");
    const error = await userError(() => loadSpec("experiments/absent.yaml"));
    assert.match(error.message, /spec file not found \(looked in .*experiments\/absent\.yaml\)/);
  } finally {
    Deno.chdir(here);
  }
});
