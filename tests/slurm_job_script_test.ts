/** The Slurm job script and its `--array` value: what sbatch and bash will read. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { arraySpec, jobScript, resourceOptions, shellQuote } from "../runners/slurm/job_script.ts";

Deno.test("arraySpec folds ascending runs into ranges, then the throttle", () => {
  assert.equal(arraySpec([1, 2, 3, 4]), "1-4");
  assert.equal(arraySpec([0, 1, 2, 3], 2), "0-3%2");
  assert.equal(arraySpec([4, 2]), "2,4");
  assert.equal(arraySpec([1, 2, 3, 5, 7, 8, 9], 3), "1-3,5,7-9%3");
  assert.equal(arraySpec([6]), "6");
  assert.equal(arraySpec([3, 3, 1]), "1,3", "duplicates once");
  assert.throws(() => arraySpec([]), /at least one task/);
});

Deno.test("arraySpec lists exactly the ids it was given (property)", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1 }), (ids) => {
      const listed = arraySpec(ids).split(",").flatMap((part) => {
        const [a, b] = part.split("-").map(Number);
        return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
      });
      assert.deepEqual(listed, [...ids].sort((x, y) => x - y));
    }),
  );
});

Deno.test("shellQuote leaves plain words and quotes the rest for bash", () => {
  assert.equal(shellQuote("model.k=5"), "model.k=5");
  assert.equal(shellQuote("/a/b-c_d.yaml"), "/a/b-c_d.yaml");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote(`model.name="x,y"`), `'model.name="x,y"'`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote("$HOME"), "'$HOME'");
  assert.equal(shellQuote(""), "''");
});

Deno.test("resourceOptions: only what was asked, sbatch's own spelling, extra options last", () => {
  assert.deepEqual(resourceOptions({ sbatchArgs: [] }), []);
  assert.deepEqual(
    resourceOptions({
      partition: "gpu",
      time: "2:00:00",
      cpusPerTask: 4,
      mem: "8G",
      gpus: 1,
      sbatchArgs: ["--qos=high"],
    }),
    [
      "--partition=gpu",
      "--time=2:00:00",
      "--cpus-per-task=4",
      "--mem=8G",
      "--gpus=1",
      "--qos=high",
    ],
  );
});

Deno.test("jobScript: #SBATCH lines, one case arm per task, the command exec'd", () => {
  const script = jobScript({
    about: "Sweep of x.yaml\nresubmit with: sbatch job.sh",
    jobName: "recsys-toppop",
    logFile: "/shared/s/trial-%a.log",
    tasks: new Map([[1, ["deno", "run", "--set", "model.k=5"]], [3, [
      "deno",
      "run",
      "--set",
      "a b",
    ]]]),
    array: "1,3%2",
    workDir: "/home/me/my project",
    slurm: { partition: "debug", mem: "2G", sbatchArgs: ["--qos=low"] },
  });
  const lines = script.split("\n");
  assert.equal(lines[0], "#!/bin/bash");
  assert.deepEqual(lines.slice(1, 3), ["# Sweep of x.yaml", "# resubmit with: sbatch job.sh"]);
  // sbatch reads #SBATCH lines only before the first command.
  const firstCommand = lines.findIndex((l) => l && !l.startsWith("#"));
  const directives = lines.filter((l) => l.startsWith("#SBATCH"));
  assert.ok(lines.lastIndexOf(directives.at(-1)!) < firstCommand);
  assert.deepEqual(directives, [
    "#SBATCH --job-name=recsys-toppop",
    "#SBATCH --array=1,3%2",
    "#SBATCH --output=/shared/s/trial-%a.log",
    "#SBATCH --partition=debug",
    "#SBATCH --mem=2G",
    "#SBATCH --qos=low",
  ]);
  assert.ok(lines.includes("cd '/home/me/my project'"));
  assert.ok(lines.includes("  1) set -- deno run --set model.k=5 ;;"));
  assert.ok(lines.includes("  3) set -- deno run --set 'a b' ;;"));
  assert.match(script, /\*\) echo "no task .*exit 2 ;;/);
  assert.equal(lines.at(-2), 'exec "$@"');
});

Deno.test("jobScript without an array: one command, stderr apart", () => {
  const script = jobScript({
    about: "one run",
    jobName: "recsys-bert",
    logFile: "/s/run.out",
    errorFile: "/s/run.log",
    tasks: new Map([[0, ["deno", "run", "x.yaml"]]]),
    workDir: "/w",
    slurm: { gpus: 1, sbatchArgs: [] },
  });
  assert.doesNotMatch(script, /--array|case /);
  assert.match(
    script,
    /#SBATCH --output=\/s\/run.out\n#SBATCH --error=\/s\/run.log\n#SBATCH --gpus=1\n/,
  );
  assert.match(script, /\nset -- deno run x.yaml\n/);
});
