/**
 * The type check of TS specs through the command line: a type error stops `run` and `sweep`
 * with the compiler's file:line:col before anything is written; a pass is remembered, so the
 * next run does not check again, until the spec or a module it imports changes; the switches
 * that skip it. Each check starts `deno check` (a few seconds), so the cases share specs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { toFileUrl } from "../runners/paths.ts";
import { typeCheckSpec } from "../runners/spec/type_check.ts";
import { runCli } from "./helpers/cli.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const root = join(import.meta.dirname!, "..");
const specModule = toFileUrl(join(root, "spec.ts")).href;

function folder() {
  const work = tempDir("type-check-e2e-");
  const dirs = { cacheDir: join(work, "cache"), resultsDir: join(work, "results") };
  Deno.mkdirSync(dirs.resultsDir);
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, {
      cwd: work,
      env: { RECSYS_CACHE: dirs.cacheDir, RECSYS_RESULTS: dirs.resultsDir, ...env },
    });
  const write = (name: string, text: string) => {
    Deno.writeTextFileSync(join(work, name), text);
    return join(work, name);
  };
  const entries = (dir: string) => {
    try {
      return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    } catch {
      return [];
    }
  };
  return { work, ...dirs, cli, write, entries };
}

Deno.test("a type error stops run and sweep with the compiler's file:line:col, nothing written", async () => {
  const { cli, write, entries, resultsDir, cacheDir } = folder();
  write(
    "typo.ts",
    `import { defineExperiment } from "${specModule}";\n` +
      "export default defineExperiment({\n" +
      '  name: "typo",\n' +
      '  data: { scale: "tiny" },\n' +
      '  model: { type: "svdpp", factors: "20" },\n' +
      "});\n",
  );
  // Both at once: each starts its own deno check.
  const outcomes = await Promise.all([
    cli(["run", "typo.ts"]),
    cli(["sweep", "typo.ts", "--set", "model.lr=0.01,0.02"]),
  ]);
  for (const { code, stderr } of outcomes) {
    assert.equal(code, 2, stderr);
    // sweep names the spec by its absolute path, as its trials will
    assert.match(
      stderr,
      /error: (\S*\/)?typo\.ts:5:\d+: TS2322 \[ERROR\]: Type 'string' is not assignable to type 'number'\./,
    );
    assert.match(stderr, /factors: "20"/, "the compiler's excerpt of the line");
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  }
  assert.deepEqual(entries(resultsDir), [], "no run folder");
  assert.deepEqual(entries(cacheDir), [], "no cache entry, no type-check pass");
});

Deno.test("a passed check is remembered; an edit to the spec or to what it imports is checked again", async () => {
  const { cli, write, entries, cacheDir } = folder();
  // A spec outside the project, importing its own module beside it and the project's spec.ts.
  write("settings.ts", "/** how many */\nexport const k: number = 5;\n");
  write(
    "mine.ts",
    `import { defineExperiment } from "${specModule}";\n` +
      'import { k } from "./settings.ts";\n' +
      "export default defineExperiment({\n" +
      '  name: "mine",\n' +
      '  data: { scale: "tiny" },\n' +
      '  model: { type: "toppop", k },\n' +
      "});\n",
  );
  const lock = Deno.readTextFileSync(join(root, "deno.lock"));
  const run = async () => {
    const { code, stderr, stdout } = await cli(["run", "mine.ts"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /run folder: /);
    return stderr;
  };
  assert.match(await run(), /type check: mine\.ts passed \(deno check, [\d.]+ s\)/);
  const passes = entries(join(cacheDir, "typecheck"));
  assert.equal(passes.length, 1, "one remembered pass");

  const again = await run();
  assert.match(again, /type check: mine\.ts passed before, unchanged \(cached\)/);
  assert.doesNotMatch(again, /deno check,/);
  assert.deepEqual(entries(join(cacheDir, "typecheck")), passes, "no new check");

  // A comment in the imported module: the spec's values are the same, the check is not.
  write("settings.ts", "/** how many items */\nexport const k: number = 5;\n");
  assert.match(await run(), /type check: mine\.ts passed \(deno check, /);
  assert.equal(entries(join(cacheDir, "typecheck")).length, 2);
  // Checked with the project's config: the lock keeps what the spec does not use.
  assert.equal(Deno.readTextFileSync(join(root, "deno.lock")), lock, "deno.lock unchanged");
});

Deno.test("--no-type-check and RECSYS_TYPE_CHECK=0 run a spec whose values are valid, and say so", async () => {
  const { cli, write, entries, resultsDir } = folder();
  write(
    "loose.ts",
    'const note: number = "a type error the values do not show";\n' +
      'export default { name: "loose", data: { scale: "tiny" }, model: { type: "toppop" }, ' +
      "description: String(note) };\n",
  );
  const checked = await cli(["run", "loose.ts"]);
  assert.equal(checked.code, 2, checked.stderr);
  assert.match(checked.stderr, /loose\.ts:1:7: TS2322 \[ERROR\]/);
  assert.deepEqual(entries(resultsDir), []);

  const flag = await cli(["run", "loose.ts", "--no-type-check"]);
  assert.equal(flag.code, 0, flag.stderr);
  assert.match(flag.stderr, /type check: skipped \(--no-type-check\)/);
  const env = await cli(["run", "loose.ts"], { RECSYS_TYPE_CHECK: "0" });
  assert.equal(env.code, 0, env.stderr);
  assert.match(env.stderr, /type check: skipped \(\$RECSYS_TYPE_CHECK=0\)/);
  assert.equal(entries(join(resultsDir, "loose")).length, 2);
});

Deno.test("the shipped TS specs pass the type check (spec.ts, which they import, with them)", async () => {
  const cacheDir = tempDir("type-check-shipped-");
  const shipped = [...Deno.readDirSync(join(root, "experiments"))]
    .filter((e) => e.isFile && /\.m?ts$/.test(e.name))
    .map((e) => join(root, "experiments", e.name));
  assert.ok(shipped.length >= 1);
  for (const path of shipped) {
    assert.equal(await typeCheckSpec(path, path, { cacheDir, quiet: true }), "passed", path);
  }
});

Deno.test("a spec in a folder deno.json excludes (results/) is still checked", async () => {
  // `deno check results/x.ts` says "No matching files found" and succeeds: not a pass.
  const dir = join(root, "results", `.type-check-test-${crypto.randomUUID().slice(0, 8)}`);
  Deno.mkdirSync(dir, { recursive: true });
  try {
    const path = join(dir, "s.ts");
    Deno.writeTextFileSync(path, 'const a: number = "x";\nexport default { name: "x", a };\n');
    const cacheDir = join(dir, "cache");
    await assert.rejects(
      () => typeCheckSpec("s.ts", path, { cacheDir, quiet: true }),
      /TS2322 \[ERROR\]: Type 'string' is not assignable to type 'number'/,
    );
    Deno.writeTextFileSync(path, 'const a: number = 1;\nexport default { name: "x", a };\n');
    assert.equal(await typeCheckSpec("s.ts", path, { cacheDir, quiet: true }), "passed");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
