/** Spec loading: defaults, TS specs, overrides, and errors that name file, field and line. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../runners/errors.ts";
import { loadSpec, validateSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { caught } from "./helpers/assert.ts";

const dir = Deno.makeTempDirSync({ prefix: "spec-test-" });
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
