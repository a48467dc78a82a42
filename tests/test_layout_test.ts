/**
 * The fast loop: `deno task test:unit` runs every test file except `*_e2e_test.ts`, with
 * process spawning denied. A file that spawns a process (the CLI, a sweep trial, git through
 * a run's environment record, a browser) or takes more than about a second is an e2e test.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const self = "test_layout_test.ts"; // names the calls below without making them

/** Calls that start a process, directly or through a whole run. */
const SPAWNS = /Deno\.Command|Deno\.execPath|runExperiment|runSuite|runSweep/;

Deno.test("deno task test:unit skips e2e files and denies spawning processes", () => {
  const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`));
  const unit: string = config.tasks["test:unit"];
  assert.ok(unit, "a test:unit task");
  assert.match(unit, /--ignore=tests\/\*_e2e_test\.ts/);
  assert.match(unit, /--deny-run/);
});

Deno.test("test files that start processes are named *_e2e_test.ts", () => {
  const misnamed: string[] = [];
  for (const entry of Deno.readDirSync(`${root}tests`)) {
    const { name } = entry;
    if (!entry.isFile || !name.endsWith("_test.ts") || name.endsWith("_e2e_test.ts")) continue;
    if (name === self) continue;
    if (SPAWNS.test(Deno.readTextFileSync(`${root}tests/${name}`))) misnamed.push(name);
  }
  assert.deepEqual(misnamed.sort(), []);
});
