/**
 * The type check of TS specs without starting the compiler: how `deno check`'s output
 * becomes the user's error, what the remembered pass is keyed by, that a remembered pass
 * starts no process (this file runs with --deny-run in `test:unit`), and the switches.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { codeClosure, scanImports } from "../runners/module_graph.ts";
import { toFileUrl } from "../runners/paths.ts";
import { parseDiagnostics, typeCheckError } from "../runners/spec/compiler_diagnostics.ts";
import { checkKey, typeCheckOptions, typeCheckSpec } from "../runners/spec/type_check.ts";
import { UserError } from "../runners/errors.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");

/** `deno check`'s stderr for two type errors, with the noise around them (Deno 2.9). */
const twoErrors = (dir: string) =>
  [
    "╭ Warning",
    "│  Ignored build scripts for packages:",
    "╰─",
    `Check file://${dir}/s.ts`,
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
    '  model: { type: "svdpp", factors: "20" },',
    "                          ~~~~~~~",
    `    at file://${dir}/s.ts:5:27`,
    "",
    "TS2322 [ERROR]: Type 'number' is not assignable to type 'string'.",
    "const b: string = 1;",
    "      ^",
    `    at file://${dir}/helper.ts:2:7`,
    "",
    "Found 2 errors.",
    "",
    "error: Type checking failed.",
    "",
    "Stack backtrace:",
    "   0: <unknown>",
  ].join("\n");

Deno.test("deno check's diagnostics are parsed with their file, line and column", () => {
  const diagnostics = parseDiagnostics(twoErrors("/w"));
  assert.equal(diagnostics.length, 2);
  assert.deepEqual(
    diagnostics.map((d) => [d.path, d.line, d.column]),
    [["/w/s.ts", 5, 27], ["/w/helper.ts", 2, 7]],
  );
  assert.equal(
    diagnostics[0].text,
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n" +
      '  model: { type: "svdpp", factors: "20" },\n' +
      "                          ~~~~~~~",
  );
});

Deno.test("a failed check is one UserError at the first diagnostic, in the user's words", () => {
  const error = typeCheckError(twoErrors("/w"), { file: "mine/s.ts", path: "/w/s.ts" });
  assert.ok(error instanceof UserError);
  const text = error.describe();
  assert.match(
    text,
    /^mine\/s\.ts:5:27: TS2322 \[ERROR\]: Type 'string' is not assignable to type 'number'\./,
  );
  assert.match(text, /\n\/w\/helper\.ts:2:7: TS2322 \[ERROR\]: Type 'number' is not assignable/);
  assert.match(text, /\(2 errors found by `deno check` before anything ran; --no-type-check/);
  assert.doesNotMatch(text, /\n\s+at |Stack backtrace|Warning|Check file/);
});

Deno.test("a spec that does not parse is reported as the import would, with its place", () => {
  const output = [
    "error: SyntaxError: Expected ',', got '<eof>'",
    "  |",
    '1 | export default { name: "x", model: { type: "toppop" }',
    "  |                                                      ~",
    "    at file:///w/broken.ts:1:54",
  ].join("\n");
  const error = typeCheckError(output, { file: "broken.ts", path: "/w/broken.ts" });
  assert.match(
    error.describe(),
    /^broken\.ts:1:54: the TS spec could not be loaded: SyntaxError: Expected ','/,
  );
});

Deno.test("output without a diagnostic still fails, with what the compiler said", () => {
  const error = typeCheckError("something odd\nerror: Type checking failed.\n", {
    file: "s.ts",
    path: "/w/s.ts",
  });
  assert.match(error.describe(), /^s\.ts: the type check failed:\nsomething odd\n\(found by/);
});

Deno.test("the type closure follows type-only imports, typeof import() and references", () => {
  const source = [
    'import type { A } from "./a.ts";',
    'export type { B } from "./b.ts";',
    'type C = typeof import("./c.ts");',
    '/// <reference types="./d.d.ts" />',
    "// fingerprint: dispatch",
    'import { e } from "./e.ts";',
    'import { f } from "./f.ts";',
  ].join("\n");
  assert.deepEqual(scanImports(source, "types").local.sort(), [
    "./a.ts",
    "./b.ts",
    "./c.ts",
    "./d.d.ts",
    "./e.ts",
    "./f.ts",
  ]);
  // The run-time closure (fingerprints) is unchanged: only code that runs.
  assert.deepEqual(scanImports(source).local, ["./f.ts"]);
});

Deno.test("the check key changes with the spec and with any module it imports, types too", () => {
  const dir = tempDir("type-check-key-");
  const spec = join(dir, "s.ts");
  Deno.writeTextFileSync(join(dir, "types.ts"), "export type K = number;\n");
  Deno.writeTextFileSync(join(dir, "unrelated.ts"), "export const x = 1;\n");
  Deno.writeTextFileSync(
    spec,
    'import type { K } from "./types.ts";\nconst k: K = 1;\nexport default { name: "x", k };\n',
  );
  const first = checkKey(spec).key;
  assert.equal(checkKey(spec).key, first, "the same files give the same key");
  Deno.writeTextFileSync(join(dir, "unrelated.ts"), "export const x = 2;\n");
  assert.equal(checkKey(spec).key, first, "a file the spec does not import does not count");
  Deno.writeTextFileSync(join(dir, "types.ts"), "export type K = string;\n");
  const edited = checkKey(spec).key;
  assert.notEqual(edited, first, "a type-only import counts");
  Deno.writeTextFileSync(spec, Deno.readTextFileSync(spec) + "// a comment\n");
  assert.notEqual(checkKey(spec).key, edited, "the spec itself counts");
});

Deno.test("a remembered pass is used without starting deno check", async () => {
  const dir = tempDir("type-check-cached-");
  const spec = join(dir, "s.ts");
  Deno.writeTextFileSync(spec, 'export default { name: "x" };\n');
  const cacheDir = join(dir, "cache");
  Deno.mkdirSync(join(cacheDir, "typecheck"), { recursive: true });
  Deno.writeTextFileSync(join(cacheDir, "typecheck", `${checkKey(spec).key}.json`), "{}");
  // Under --deny-run a spawn would throw: "cached" proves no process was started.
  assert.equal(await typeCheckSpec("s.ts", spec, { cacheDir, quiet: true }), "cached");
  assert.equal(
    await typeCheckSpec("s.ts", spec, { cacheDir, quiet: true, skipped: "--no-type-check" }),
    "skipped",
  );
});

Deno.test("--no-type-check and $RECSYS_TYPE_CHECK switch the check; a bad value is refused", () => {
  const previous = Deno.env.get("RECSYS_TYPE_CHECK");
  try {
    Deno.env.delete("RECSYS_TYPE_CHECK");
    assert.equal(typeCheckOptions({}, "/c").skipped, undefined);
    assert.equal(typeCheckOptions({ typeCheck: false }, "/c").skipped, "--no-type-check");
    assert.equal(typeCheckOptions({ cache: false }, "/c").refresh, true);
    Deno.env.set("RECSYS_TYPE_CHECK", "off");
    assert.equal(typeCheckOptions({}, "/c").skipped, "$RECSYS_TYPE_CHECK=off");
    Deno.env.set("RECSYS_TYPE_CHECK", "1");
    assert.equal(typeCheckOptions({}, "/c").skipped, undefined);
    Deno.env.set("RECSYS_TYPE_CHECK", "maybe");
    assert.throws(
      () => typeCheckOptions({}, "/c"),
      (error) =>
        error instanceof UserError &&
        /^\$RECSYS_TYPE_CHECK: 'maybe' is not a switch/.test(error.describe()),
    );
  } finally {
    if (previous === undefined) Deno.env.delete("RECSYS_TYPE_CHECK");
    else Deno.env.set("RECSYS_TYPE_CHECK", previous);
  }
});

/** Packages only the BERT steps use (tests/main_job_packages_e2e_test.ts lists them too). */
const BERT_ONLY = ["onnxruntime-node", "@huggingface/transformers", "@tensorflow/tfjs"];

Deno.test("spec.ts, what TS specs import, reaches no BERT package even through types", () => {
  const reaches = (entry: string) => {
    const { packages } = codeClosure([toFileUrl(join(root, entry)).href], "types");
    return BERT_ONLY.filter((name) => [...packages].some((line) => line.includes(`:${name}@`)));
  };
  assert.deepEqual(reaches("spec.ts"), []);
  assert.deepEqual(reaches("experiments/toppop-tiny.ts"), []);
  // mod.ts does (the types of the BERT steps): checking a spec that imports it fetches them.
  assert.deepEqual(reaches("mod.ts"), BERT_ONLY);
});
