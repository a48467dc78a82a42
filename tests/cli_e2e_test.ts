/** The command line: exit codes, messages on stderr, and nothing half-written on bad input. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./helpers/cli.ts";

const root = join(import.meta.dirname!, "..");
const work = Deno.makeTempDirSync({ prefix: "cli-test-" });
const cacheDir = join(work, "cache");
const resultsDir = join(work, "results");
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

function cli(...args: string[]) {
  return cliIn({}, ...args);
}

/** The CLI started in another folder (`cwd`) or with more environment (`INIT_CWD`). */
function cliIn(where: { cwd?: string; env?: Record<string, string> }, ...args: string[]) {
  return runCli(args, {
    cwd: where.cwd,
    env: { RECSYS_CACHE: cacheDir, RECSYS_RESULTS: resultsDir, ...where.env },
  });
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

/** Specs refused before any work: exit 2, the file and the field named, nothing written. */
const refusedSpecs = [
  {
    name: "cutoff.yaml",
    problem: "a metric cutoff above model.k",
    text: "name: x\ndata: {scale: tiny}\nmodel:\n  type: toppop\n  k: 10\n" +
      "evaluate:\n  metrics: [precision, ndcg@20]\n",
    error: /cutoff\.yaml:7: evaluate\.metrics\.1: 'ndcg@20' cuts at 20/,
  },
  {
    name: "float32.yaml",
    problem: "variant surprise with precision float32",
    text: "name: x\ndata: {scale: tiny}\nmodel:\n  type: svdpp\n  variant: surprise\n" +
      "  precision: float32\n  epochs: 1\n",
    error: /float32\.yaml:6: model\.precision: variant surprise computes in float64/,
  },
  {
    name: "files.yaml",
    problem: "a rating file listed twice",
    text:
      "name: x\ndata:\n  scale: tiny\n  files: [ratings2023, ratings2023]\nmodel: {type: toppop}\n",
    error: /files\.yaml:4: data\.files\.1: 'ratings2023' is listed twice/,
  },
  {
    name: "sweep.yaml",
    problem: "a sweep block",
    text: "name: x\ndata: {scale: tiny}\nmodel: {type: toppop}\n" +
      "sweep: {method: grid, grid: {model.k: [5, 10]}}\n",
    error: /sweep\.yaml:4: sweep: .*`deno task sweep .*sweep\.yaml`/,
  },
  {
    name: "bomb.yaml",
    problem: "a YAML alias bomb",
    text: "name: x\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" +
      Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`)}]\n`)
        .join("") +
      "model: {type: toppop}\n",
    error: /bomb\.yaml:3: YAML aliases expand too far/,
  },
  {
    name: "throws.ts",
    problem: "a TS spec that throws",
    text: 'throw new Error("not today");\nexport default { name: "x" };\n',
    error: /throws\.ts:1:\d+: the TS spec could not be loaded: not today/,
  },
  {
    name: "broken.ts",
    problem: "a TS spec that does not compile",
    text: 'export default { name: "x", model: { type: "toppop" }\n',
    error: /broken\.ts:\d+:\d+: the TS spec could not be loaded: SyntaxError/,
  },
];
for (const { name, problem, text, error } of refusedSpecs) {
  Deno.test(`${problem} exits 2 before any work, naming file and field`, async () => {
    const { code, stderr } = await cli("run", write(name, text));
    assert.equal(code, 2, stderr);
    assert.match(stderr, error);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    assertNothingWritten();
  });
}

Deno.test("run --set a=1,2 exits 2 and points to sweep", async () => {
  const spec = join(root, "experiments", "toppop.yaml");
  const { code, stderr } = await cli("run", spec, "--set", "model.k=5,10");
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--set model\.k=5,10: a list of values is a sweep: .*deno task sweep/);
  assertNothingWritten();
});

Deno.test("a results folder that cannot be written exits 2 before any work", async () => {
  const spec = join(root, "experiments", "toppop.yaml");
  const file = write("a-file", "");
  for (const dir of [join(work, "no", "such", "folder"), join(file, "results")]) {
    const { code, stderr } = await cli("run", spec, "--results-dir", dir);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--results-dir: .* is not an existing folder/);
  }
  const empty = await cli("run", spec, "--results-dir", "");
  assert.equal(empty.code, 2, empty.stderr);
  assert.match(empty.stderr, /--results-dir: an empty path/);
  if (Deno.uid() !== 0) { // root writes anywhere
    const locked = join(work, "locked");
    Deno.mkdirSync(locked, { mode: 0o555 });
    const { code, stderr } = await cli("run", spec, "--results-dir", locked);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--results-dir: cannot write to/);
  }
  assertNothingWritten();
});

Deno.test("a run folder path beyond PATH_MAX exits 2 naming the name, before any work", async () => {
  // An existing results folder of about 3,900 bytes: the name and run id do not fit.
  let deep = join(work, "deep");
  while (deep.length < 3900) deep = join(deep, "d".repeat(200));
  Deno.mkdirSync(deep, { recursive: true });
  const spec = write("long-name.yaml", `name: ${"n".repeat(150)}\nmodel: {type: toppop}\n`);
  const { code, stderr } = await cli("run", spec, "--results-dir", deep);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /long-name\.yaml:1: name: the run folder .* would be too long/);
  assert.deepEqual([...Deno.readDirSync(deep)], []);
  assertNothingWritten();
});

Deno.test("compare and report refuse an --out in a missing folder before reading runs", async () => {
  const out = join(work, "missing-folder", "out.html");
  for (const command of ["compare", "report"]) {
    const { code, stderr } = await cli(command, work, "--out", out);
    assert.equal(code, 2, `${command}: ${stderr}`);
    assert.match(stderr, /--out: the folder .*missing-folder does not exist/);
  }
});

/** A tiny MAL folder: 4 anime, 6 users rating each of them (users-score-2023.csv only). */
function tinyMalDir(dir: string, badRating?: number): string {
  Deno.mkdirSync(dir, { recursive: true });
  const anime = [1, 2, 3, 4].map((id) =>
    `${id},Anime ${id},A,A,8.1,Action,"${"words ".repeat(10)}",TV,12,x,x,x,x,x,x,x,x,x,1,1,1,1,1,x`
  );
  Deno.writeTextFileSync(
    join(dir, "anime-dataset-2023.csv"),
    "anime_id,Name,English name,Other name,Score,Genres,Synopsis,Type,Episodes,Aired,Premiered," +
      "Status,Producers,Licensors,Studios,Source,Duration,Rating,Rank,Popularity,Favorites," +
      `Scored By,Members,Image URL\n${anime.join("\n")}\n`,
  );
  const rows = [];
  for (let user = 1; user <= 6; user++) {
    for (let item = 1; item <= 4; item++) {
      rows.push(`${user},u${user},${item},A,${(user + item) % 10 + 1}`);
    }
  }
  if (badRating !== undefined) rows[1] = `1,u1,2,A,${badRating}`;
  Deno.writeTextFileSync(
    join(dir, "users-score-2023.csv"),
    `user_id,Username,anime_id,Anime Title,rating\n${rows.join("\n")}\n`,
  );
  return dir;
}

Deno.test("a MAL rating outside the rating scale exits 2 naming file and line, caches nothing", async () => {
  const dir = tinyMalDir(join(work, "mal-out-of-scale"), 11);
  const { code, stderr } = await cli(
    "run",
    join(root, "experiments", "toppop.yaml"),
    "--set",
    `data.dir=${dir}`,
    "--set",
    "data.files=[ratings2023]",
  );
  assert.equal(code, 2, stderr);
  assert.match(
    stderr,
    /users-score-2023\.csv:3: column "rating": 11 is outside the rating scale \[1, 10\]/,
  );
  assertNothingWritten();
});

Deno.test("a split or sample that leaves no training rows exits 2 naming the field", async () => {
  const env = { RECSYS_CACHE: join(work, "cache-no-train"), RECSYS_RESULTS: join(work, "out") };
  const cases = [
    { set: "split.test=1000", error: /empty-train\.yaml:3: split: no training rows left/ },
    {
      set: "sample.train_frac=0.000001",
      error: /sample\.train_frac: no training rows left: .*\(from --set sample\.train_frac/,
    },
  ];
  const spec = write(
    "empty-train.yaml",
    "name: x\ndata: {scale: tiny}\nsplit: {test: 1}\nmodel: {type: toppop}\n",
  );
  for (const { set, error } of cases) {
    const { code, stderr } = await cliIn({ env }, "run", spec, "--set", set);
    assert.equal(code, 2, stderr);
    assert.match(stderr, error);
  }
  assert.equal([...Deno.readDirSync(work)].some((e) => e.name === "out"), false);
});

Deno.test("run from another folder: the spec is looked for there, then in the project root", async () => {
  const elsewhere = join(work, "elsewhere");
  Deno.mkdirSync(elsewhere);
  const env = { RECSYS_CACHE: join(work, "cache-cwd"), RECSYS_RESULTS: join(work, "results-cwd") };
  const shipped = await cliIn({ cwd: elsewhere, env }, "run", "experiments/toppop-tiny.ts", "-q");
  assert.equal(shipped.code, 0, shipped.stderr);
  const missing = await cliIn({ cwd: elsewhere, env }, "run", "experiments/nope.yaml");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /spec file not found \(looked in .*elsewhere.* and /);
});

Deno.test("deno task from another folder: spec and data.dir resolve in the user's folder (INIT_CWD)", async () => {
  const user = join(work, "user-folder");
  tinyMalDir(join(user, "mal"));
  Deno.writeTextFileSync(
    join(user, "mine.yaml"),
    "name: mine\ndata:\n  files: [ratings2023]\nmodel: {type: toppop, k: 2}\n",
  );
  // `deno task` runs in the folder of deno.json and sets INIT_CWD (unless already set).
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  env.RECSYS_CACHE = join(work, "cache-task");
  env.RECSYS_RESULTS = join(user, "results");
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", join(root, "deno.json"), "run", "mine.yaml"].concat(
      ["--set", "data.dir=mal", "-q"],
    ),
    cwd: user,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const [runDir] = [...Deno.readDirSync(join(user, "results", "mine"))];
  const recorded = Deno.readTextFileSync(join(user, "results", "mine", runDir.name, "spec.yaml"));
  assert.match(recorded, new RegExp(`dir: ${join(user, "mal").replaceAll("/", "\\/")}`));
});

Deno.test("deno task sweep from another folder: a relative --results-dir is the user's, for every trial", async () => {
  const user = join(work, "sweep-user");
  Deno.mkdirSync(user);
  Deno.writeTextFileSync(
    join(user, "grid.yaml"),
    "name: grid\ndata: {scale: tiny}\nmodel: {type: toppop}\nevaluate: {on: [test], metrics: [precision]}\n",
  );
  // As `deno task` starts it: in the project root, the user's folder in INIT_CWD.
  const { code, stdout, stderr } = await cliIn(
    { cwd: root, env: { INIT_CWD: user, RECSYS_CACHE: join(work, "cache-sweep") } },
    "sweep",
    "grid.yaml",
    "--set",
    "model.k=3,5",
    "--results-dir",
    "out",
    "-q",
  );
  assert.equal(code, 0, stdout + stderr);
  const runs = [...Deno.readDirSync(join(user, "out", "grid"))].filter((e) =>
    !e.name.startsWith(".")
  );
  assert.equal(runs.length, 2);
});
