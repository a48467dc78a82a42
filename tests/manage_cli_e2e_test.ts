/**
 * The run-management commands end to end on real runs of the tiny dataset: tag and note,
 * compare filtering on tags, `check` of a tagged run, delete (asking, refusing without a
 * terminal), gc (dry run, then for real, archived runs kept), archive and restore, and exit
 * 2 with a clear message on bad input.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { runsInProgress } from "../runners/cache/run_marks.ts";
import { denoRunArgs } from "../runners/paths.ts";
import { tempDir } from "./helpers/temp_dir.ts";
import { atTerminal, hasScript } from "./helpers/pty.ts";

const root = join(import.meta.dirname!, "..");
const work = tempDir("manage-cli-");
const cacheDir = join(work, "cache");
const resultsDir = join(work, "results");

async function cli(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...denoRunArgs, join(root, "runners", "cli.ts"), ...args],
    env: { RECSYS_CACHE: cacheDir, RECSYS_RESULTS: resultsDir, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

async function tinyRun(...sets: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(
    "run",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    "data.scale=tiny",
    ...sets.flatMap((s) => ["--set", s]),
    "-q",
  );
  assert.equal(code, 0, stderr);
  return stdout.match(/run folder: (.+)/)![1].trim();
}

function artifacts(): string[] {
  const dir = join(cacheDir, "artifacts");
  return [...Deno.readDirSync(dir)].flatMap((shard) =>
    [...Deno.readDirSync(join(dir, shard.name))].map((e) => e.name)
  ).sort();
}

function stepsOf(runDir: string): Array<{ fingerprint: string; status: string }> {
  return JSON.parse(Deno.readTextFileSync(join(runDir, "run.json"))).steps;
}

Deno.test("tag, note, compare by tag, check a tagged run, delete, gc, archive and restore", async () => {
  const kept = await tinyRun();
  const doomed = await tinyRun("model.k=5");

  let out = await cli("tag", kept, "baseline", "mal");
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /tags: baseline, mal/);
  out = await cli("tag", basename(kept), "mal", "--remove"); // a bare run id is looked up
  assert.match(out.stdout, /tags: baseline\n/);
  out = await cli("note", kept, "the", "reference", "run");
  assert.match(out.stdout, /note: the reference run/);
  out = await cli(
    "compare",
    join(resultsDir, "toppop"),
    "--where",
    "tag=baseline",
    "--format",
    "csv",
  );
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.equal(lines.length, 2, "one run has the tag");
  assert.match(lines[0], /^run,tags,/);
  assert.match(lines[1], new RegExp(`^${basename(kept)},baseline,`));
  out = await cli("check", kept, "-q");
  assert.equal(out.code, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /^ok /, "annotations.json does not make the folder CHANGED");

  // Not at a terminal, delete refuses without --yes and leaves the run.
  out = await cli("delete", doomed);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /refusing to delete 1 run folder without --yes/);
  assert.ok(Deno.statSync(join(doomed, "run.json")).isFile);

  const before = artifacts();
  const keptSteps = new Set(stepsOf(kept).map((s) => s.fingerprint));
  out = await cli("delete", doomed, "--yes");
  assert.equal(out.code, 0, out.stderr);
  out = await cli("gc", "--dry-run");
  assert.equal(out.code, 0, out.stderr);
  const wouldGo = [...out.stdout.matchAll(/^would remove {2}([0-9a-f]{16})/gm)].map((m) => m[1]);
  assert.ok(wouldGo.length > 0, out.stdout);
  assert.deepEqual(artifacts(), before, "a dry run removes nothing");
  out = await cli("gc");
  assert.equal(out.code, 0, out.stderr);
  const after = artifacts();
  assert.deepEqual(
    before.filter((f) => !after.includes(f)).map((f) => f.slice(0, 16)).sort(),
    wouldGo.sort(),
  );
  for (const f of after) assert.ok(keptSteps.has(f), "only the kept run's artifacts are left");
  for (const f of keptSteps) {
    if (before.includes(f)) assert.ok(after.includes(f), `kept run's ${f} survives`);
  }

  // An archived run still holds its artifacts; restored, a re-run finds them all cached.
  out = await cli("archive", kept);
  assert.equal(out.code, 0, out.stderr);
  out = await cli("compare", join(resultsDir, "toppop"));
  assert.equal(out.code, 2, "the experiment has no live run left");
  out = await cli("gc");
  assert.match(out.stdout, /removed 0 artifacts/);
  out = await cli("archive", "--restore", kept);
  assert.equal(out.code, 0, out.stderr);
  const again = await tinyRun();
  assert.ok(stepsOf(again).every((s) => s.status !== "computed"), "every step from the cache");
  assert.deepEqual(
    runsInProgress(cacheDir),
    { fingerprints: new Set(), live: [], stale: [] },
    "finished runs leave no mark",
  );
});

Deno.test("bad input to the management commands exits 2 naming the problem", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["tag", join(work, "nope"), "x"], /nope: no such run folder/],
    [["tag", work, "bad tag"], /'bad tag' is not a tag/],
    [["note", work, "x"], /not a run folder/],
    [
      ["archive", "20261130T000000Z-abcdef"],
      /no run 20261130T000000Z-abcdef in .* \(nor in its archive\)/,
    ],
    [["delete", resultsDir, "--yes"], /is the results folder itself/],
    [["delete", work, "--yes"], /outside the results folder/],
    [["gc", "--results-dir", join(work, "resluts")], /resluts: no such results folder/],
    [["gc", "--cache-dir", join(work, "nocache")], /nocache: no such cache folder/],
    [["tag", work], /missing required argument 'tags'/],
  ];
  Deno.mkdirSync(resultsDir, { recursive: true });
  for (const [args, message] of cases) {
    const out = await cli(...args);
    assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assert.match(out.stderr, message, args.join(" "));
  }
});

Deno.test("at a terminal, delete asks: no keeps the runs, yes deletes them", async (t) => {
  if (!(await hasScript())) {
    console.warn("skipped: util-linux `script` (a pseudo-terminal) is not installed");
    return;
  }
  const runDir = await tinyRun("model.k=3");
  const command = [
    Deno.execPath(),
    ...denoRunArgs,
    join(root, "runners", "cli.ts"),
    "delete",
    runDir,
  ];
  const answering = async (answer: string) => {
    const terminal = atTerminal(command, {
      RECSYS_CACHE: cacheDir,
      RECSYS_RESULTS: resultsDir,
      NO_COLOR: "1",
    });
    await terminal.type(answer);
    const { code, output } = await terminal.finish();
    return { code, stdout: output };
  };
  await t.step("no", async () => {
    const out = await answering("n\n");
    assert.equal(out.code, 0);
    assert.match(out.stdout, /Delete 1 run folder for good\? \[y\/N\]/);
    assert.match(out.stdout, /nothing deleted/);
    assert.ok(Deno.statSync(join(runDir, "run.json")).isFile);
  });
  await t.step("yes", async () => {
    const out = await answering("y\n");
    assert.equal(out.code, 0);
    assert.match(out.stdout, /deleted /);
    assert.throws(() => Deno.statSync(runDir), Deno.errors.NotFound);
  });
});
