/** The command line: exit codes, messages on stderr, and nothing half-written on bad input. */
import assert from "node:assert/strict";
import { join } from "node:path";

const root = join(import.meta.dirname!, "..");
const work = Deno.makeTempDirSync({ prefix: "cli-test-" });
const cacheDir = join(work, "cache");
const resultsDir = join(work, "results");

async function cli(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "runners", "cli.ts"), ...args],
    env: { RECSYS_CACHE: cacheDir, RECSYS_RESULTS: resultsDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

function write(name: string, text: string): string {
  const path = join(work, name);
  Deno.writeTextFileSync(path, text);
  return path;
}

/** Nothing may be left behind by a failed run: no run folder, no artifact. */
function assertNothingWritten() {
  for (const dir of [resultsDir, join(cacheDir, "artifacts")]) {
    let entries: string[] = [];
    try {
      entries = [...Deno.readDirSync(dir)].map((e) => e.name);
    } catch {
      // absent: fine
    }
    assert.deepEqual(entries, [], `${dir} should be empty`);
  }
}

Deno.test("a missing spec file exits 2 and names the file", async () => {
  const { code, stderr } = await cli("run", join(work, "nope.yaml"));
  assert.equal(code, 2);
  assert.match(stderr, /nope\.yaml: spec file not found/);
});

Deno.test("a YAML syntax error exits 2 with file and line", async () => {
  const file = write("syntax.yaml", "name: x\nmodel: {type: toppop\n");
  const { code, stderr } = await cli("run", file);
  assert.equal(code, 2);
  assert.match(stderr, /syntax\.yaml:\d+(:\d+)?: YAML syntax error/);
});

Deno.test("an unknown model type exits 2 with a suggestion", async () => {
  const file = write("model.yaml", "name: x\nmodel:\n  type: top-pop\n");
  const { code, stderr } = await cli("run", file);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /model\.yaml:3: model\.type: unknown model type 'top-pop' \(did you mean 'toppop'\?\)/,
  );
});

Deno.test("k = 0 exits 2 naming the field and line", async () => {
  const file = write("k.yaml", "name: x\nmodel:\n  type: toppop\n  k: 0\n");
  const { code, stderr } = await cli("run", file);
  assert.equal(code, 2);
  assert.match(stderr, /k\.yaml:4: model\.k: /);
});

Deno.test("a bad --set exits 2", async () => {
  const { code, stderr } = await cli(
    "run",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    "model.k=zero",
  );
  assert.equal(code, 2);
  assert.match(stderr, /model\.k/);
});

Deno.test("data.dir without the Kaggle files exits 2, lists what is missing, writes nothing", async () => {
  const empty = join(work, "empty-data");
  Deno.mkdirSync(empty);
  const { code, stderr } = await cli(
    "run",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    `data.dir=${empty}`,
  );
  assert.equal(code, 2);
  assert.match(stderr, /anime-dataset-2023\.csv/);
  assertNothingWritten();
});

Deno.test("a CSV without a required column exits 2 naming file and column, writes nothing", async () => {
  const dir = join(work, "bad-columns");
  Deno.mkdirSync(dir);
  Deno.writeTextFileSync(
    join(dir, "anime-dataset-2023.csv"),
    "anime_id,Name,English name,Other name,Score,Genres,Synopsis,Type,Episodes,Aired,Premiered,Status,Producers,Licensors,Studios,Source,Duration,Rating,Rank,Popularity,Favorites,Scored By,Members,Image URL\n" +
      '1,A,A,A,8.1,Action,"' + "words ".repeat(10) + '",TV,12,x,x,x,x,x,x,x,x,x,1,1,1,1,1,x\n',
  );
  Deno.writeTextFileSync(
    join(dir, "users-score-2023.csv"),
    "user_id,Username,anime_id,Anime Title,score\n1,u,1,A,8\n",
  );
  Deno.writeTextFileSync(
    join(dir, "final_animedataset.csv"),
    "username,anime_id,my_score,user_id,gender,title,type,source,score,scored_by,rank,popularity,genre\nu,1,8,1,x,A,TV,x,8,1,1,1,x\n",
  );
  const { code, stderr } = await cli(
    "run",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    `data.dir=${dir}`,
  );
  assert.equal(code, 2, stderr);
  assert.match(stderr, /users-score-2023\.csv/);
  assert.match(stderr, /rating/);
  assertNothingWritten();
});

Deno.test("help exits 0", async () => {
  const { code, stdout } = await cli("--help");
  assert.equal(code, 0);
  assert.match(stdout, /run/);
});

const badMovieLens = [
  { name: "non-numeric.csv", problem: "a non-numeric rating", text: "1,2,four,2" },
  { name: "out-of-scale.csv", problem: "a rating outside the declared scale", text: "1,2,7,2" },
];
for (const { name, problem, text } of badMovieLens) {
  Deno.test(`a MovieLens file with ${problem} exits 2 naming file and line, caches nothing`, async () => {
    const file = write(name, `userId,movieId,rating,timestamp\n1,1,4.0,1\n${text}\n`);
    const spec = join(root, "experiments", "surprise-benchmark.yaml");
    const { code, stderr } = await cli("run", spec, "--set", `data.path=${file}`);
    assert.equal(code, 2, stderr);
    assert.match(stderr, new RegExp(`${name.replace(".", "\\.")}:3`));
    assertNothingWritten();
  });
}
