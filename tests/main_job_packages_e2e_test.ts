/**
 * What a run fetches from npm: only the packages its code can import. Deno downloads every
 * npm package it finds in the module graph (dynamic `import("literal")` included); without
 * npm lazy caching every package in deno.lock; and `deno task` installs every package of
 * deno.json's imports and of the lock it reads before it starts a task. So a Top-Pop run would
 * fetch onnxruntime, Transformers.js (with sharp) and TensorFlow.js, about 700 MB it never uses.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Packages only the BERT steps use: loaded at run time through models/bert/heavy_packages.ts. */
const BERT_ONLY = [
  "onnxruntime-node",
  "@huggingface/transformers",
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-backend-webgpu",
  "onnx-proto",
];

interface InfoModule {
  specifier: string;
  dependencies?: Array<{ code?: { specifier: string } }>;
}

/** The npm packages reachable from `entry` through code (not type-only) imports. */
function npmPackagesOf(entry: string): string[] {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stderr: "inherit",
  }).outputSync();
  assert.ok(out.success, `deno info ${entry}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [...info.roots];
  while (stack.length) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (specifier.startsWith("npm:")) {
      packages.add(specifier.replace(/^npm:\/?/, "").replace(/(.)@.*$/, "$1"));
      continue;
    }
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.code) stack.push(dependency.code.specifier);
    }
  }
  return [...packages];
}

Deno.test("the CLI and the public API reach no BERT-only npm package through code imports", () => {
  for (const entry of ["runners/cli.ts", "mod.ts"]) {
    const reached = npmPackagesOf(entry);
    assert.ok(reached.includes("zod"), `${entry}: ${reached.join(", ")}`);
    for (const name of BERT_ONLY) {
      assert.ok(!reached.includes(name), `${entry} reaches ${name} through code imports`);
    }
  }
});

Deno.test("deno.json asks Deno to fetch npm packages when imported, not all of deno.lock", () => {
  const config = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`));
  assert.ok(config.unstable?.includes("npm-lazy-caching"), JSON.stringify(config.unstable));
  // `deno task` itself reads no lock and no BERT package: it installs nothing BERT needs.
  assert.equal(config.lock, false);
  for (const name of BERT_ONLY) {
    assert.ok(!(name in config.imports), `${name} in deno.json imports`);
  }
  // ... and every task's own command verifies against deno.lock.
  for (const [task, command] of Object.entries(config.tasks as Record<string, string>)) {
    assert.match(command, /^deno (run|test) --lock=deno\.lock /, `task ${task}: ${command}`);
  }
});

Deno.test("deno.lock pins every BERT-only package the loader imports", () => {
  const lock = JSON.parse(Deno.readTextFileSync(`${root}/deno.lock`));
  const loader = Deno.readTextFileSync(`${root}/models/bert/heavy_packages.ts`);
  const pinned = [...loader.matchAll(/"(npm:[^"]+@\d[^"]*)"/g)].map((m) => m[1]);
  for (const name of BERT_ONLY) {
    const specifier = pinned.find((p) => p.startsWith(`npm:${name}@`));
    assert.ok(specifier, `the loader pins ${name}`);
    assert.ok(specifier in lock.specifiers, `deno.lock has ${specifier}`);
  }
});
