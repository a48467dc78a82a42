/**
 * Bad sweeps fail before any trial runs, as a UserError (exit 2) naming the file and the
 * field; good ones expand into validated trial specs with `sweep: null`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Command } from "commander";
import { UserError } from "../runners/errors.ts";
import { specFingerprint } from "../runners/results.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { registerSweep } from "../runners/sweep/sweep_command.ts";
import { prepareSweep } from "../runners/sweep/trials.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const work = tempDir("sweep-input-");
const toppop = join(import.meta.dirname!, "..", "experiments", "toppop.yaml");

function spec(name: string, text: string): string {
  const path = join(work, name);
  Deno.writeTextFileSync(path, text);
  return path;
}

async function userError(fn: () => unknown): Promise<string> {
  const error = await caught(fn);
  assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
  return error.describe();
}

Deno.test("a --set axis over a field that does not exist names it, with a suggestion", async () => {
  const message = await userError(() => prepareSweep(toppop, ["model.kk=5,10"]));
  assert.match(message, /toppop\.yaml: model\.kk: no field 'model\.kk'/);
  assert.match(message, /did you mean 'model\.k'\?/);
  assert.match(message, /from --set model\.kk=5,10/);
  const top = await userError(() => prepareSweep(toppop, ["modle.k=5,10"]));
  assert.match(top, /did you mean 'model\.k'\?/);
});

Deno.test("a sweep block over a field that does not exist names the block's entry", async () => {
  const file = spec(
    "typo.yaml",
    "name: t\nmodel: {type: svdpp}\nsweep:\n  method: random\n  trials: 2\n" +
      "  random:\n    model.lrr: {loguniform: [0.001, 0.1]}\n",
  );
  const message = await userError(() => prepareSweep(file, []));
  assert.match(message, /typo\.yaml: sweep\.random\.model\.lrr: no field 'model\.lrr'/);
  assert.match(message, /did you mean 'model\.lr'\?/);
});

Deno.test("an empty grid list, or a grid sweep without axes, is refused", async () => {
  const empty = spec(
    "empty.yaml",
    "name: t\nmodel: {type: toppop}\nsweep:\n  grid:\n    model.k: []\n",
  );
  assert.match(
    await userError(() => prepareSweep(empty, [])),
    /empty\.yaml: sweep\.grid\.model\.k: empty list of values/,
  );
  const none = spec("none.yaml", "name: t\nmodel: {type: toppop}\nsweep:\n  method: grid\n");
  assert.match(
    await userError(() => prepareSweep(none, [])),
    /none\.yaml: sweep\.grid: nothing to sweep/,
  );
  // No block and no --set list: nothing to sweep either; a single value is a fixed override.
  assert.match(await userError(() => prepareSweep(toppop, ["model.k=5"])), /nothing to sweep/);
});

Deno.test("a random sweep needs trials, and each range low <= high", async () => {
  const noTrials = spec(
    "no-trials.yaml",
    "name: t\nmodel: {type: svdpp}\nsweep:\n  method: random\n  random:\n    model.lr: {uniform: [0.001, 0.01]}\n",
  );
  assert.match(
    await userError(() => prepareSweep(noTrials, [])),
    /no-trials\.yaml: sweep\.trials: a random sweep needs the number of trials/,
  );
  const reversed = spec(
    "reversed.yaml",
    "name: t\nmodel: {type: svdpp}\nsweep:\n  method: random\n  trials: 3\n  random:\n    model.factors: {int: [50, 10]}\n",
  );
  assert.match(
    await userError(() => prepareSweep(reversed, [])),
    /reversed\.yaml: sweep\.random\.model\.factors: low 50 is greater than high 10/,
  );
});

Deno.test("a trial whose spec is invalid fails before anything runs, naming the trial", async () => {
  const message = await userError(() => prepareSweep(toppop, ["model.k=5,0"]));
  assert.match(message, /toppop\.yaml: model\.k: Too small/);
  assert.match(message, /in trial 2 \(model\.k=0\)/);
  // A field of another model type passes the schema walk, then fails validation.
  assert.match(
    await userError(() => prepareSweep(toppop, ["model.lr=0.1,0.2"])),
    /model\.lr: unknown field 'lr'.* in trial 1/,
  );
});

Deno.test("a suite file is not swept", async () => {
  const suite = join(import.meta.dirname!, "..", "experiments", "seed.yaml");
  assert.match(
    await userError(() => prepareSweep(suite, ["seed=1,2"])),
    /seed\.yaml: suite: a suite cannot be swept/,
  );
});

Deno.test("--jobs must be a positive integer", async () => {
  const program = new Command("recsys").exitOverride();
  registerSweep(program);
  const message = await userError(() =>
    program.parseAsync(["sweep", toppop, "--set", "model.k=5,10", "--jobs", "0"], {
      from: "user",
    })
  );
  assert.match(message, /--jobs: expected an integer >= 1/);
});

Deno.test("trials are the spec with the fixed and trial overrides and sweep: null", async () => {
  const file = spec(
    "both.yaml",
    "name: both\nmodel: {type: toppop}\nsweep:\n  grid:\n    model.k: [5, 10]\n    data.clean.dedupe: [false, true]\n",
  );
  // The command line replaces the block's model.k axis, in its place.
  const sweep = await prepareSweep(file, ["data.scale=tiny", "model.k=3,4,5"]);
  assert.deepEqual(
    sweep.trials.map((t) => t.overrides.map((o) => o.text).join(" ")),
    [
      "model.k=3 data.clean.dedupe=false",
      "model.k=3 data.clean.dedupe=true",
      "model.k=4 data.clean.dedupe=false",
      "model.k=4 data.clean.dedupe=true",
      "model.k=5 data.clean.dedupe=false",
      "model.k=5 data.clean.dedupe=true",
    ],
  );
  const third = sweep.trials[2];
  const { spec: expected } = await loadSpec(
    file,
    [
      "data.scale=tiny",
      "model.k=4",
      "data.clean.dedupe=false",
      "sweep=null",
    ].map(parseOverride),
  );
  assert.deepEqual(third.spec, expected);
  assert.equal(third.spec.sweep, null);
  assert.equal(third.fingerprint, specFingerprint(expected));
  // A fixed --set on a swept path removes that axis.
  const fixed = await prepareSweep(file, ["data.clean.dedupe=true"]);
  assert.equal(fixed.trials.length, 2);
});
