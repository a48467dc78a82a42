/**
 * What the type check of a TS spec costs: a first check (a spec the compiler has not seen,
 * importing spec.ts, and one importing mod.ts), a check again with Deno's own check cache
 * warm, and the runner's remembered pass; then whole cached `run` processes of the shipped
 * TS spec with the remembered pass and with --no-type-check, side by side.
 * CPU seconds are this process's children's (the `deno check` processes), from /proc.
 *
 *   deno run -A bench/type_check.ts [--repeat 3]
 */
import { join } from "node:path";
import { denoRunArgs, toFileUrl } from "../runners/paths.ts";
import { typeCheckSpec } from "../runners/spec/type_check.ts";

const root = join(import.meta.dirname!, "..");
const repeat = Deno.args.includes("--repeat")
  ? Number(Deno.args[Deno.args.indexOf("--repeat") + 1])
  : 3;
const work = Deno.makeTempDirSync({ prefix: "bench-type-check-" });
const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");

/** user+sys seconds of the children this process has waited for (Linux /proc). */
function childCpu(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  // after "(comm) ": field 3 is index 0, so cutime (16) and cstime (17) are 13 and 14
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

let specs = 0;
/** A spec at a path the compiler has not checked yet (Deno keys its own cache by the root). */
function freshSpec(entry: string): string {
  const dir = join(work, `spec-${++specs}`);
  Deno.mkdirSync(dir);
  const path = join(dir, "spec.ts");
  Deno.writeTextFileSync(
    path,
    `import { defineExperiment } from "${toFileUrl(join(root, entry)).href}";\n` +
      'export default defineExperiment({ name: "b", data: { scale: "tiny" }, ' +
      'model: { type: "toppop" } });\n',
  );
  return path;
}

async function timed(label: string, check: () => Promise<string>) {
  const cpu0 = childCpu();
  const t0 = performance.now();
  const outcome = await check();
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpu() - cpu0;
  console.log(
    `| ${label} | ${outcome} | ${wall.toFixed(3)} s | ${cpu.toFixed(2)} s | ${load()} |`,
  );
}

console.log("| check | outcome | wall | CPU (deno check, user+sys) | load 1/5/15 min |");
console.log("|---|---|---:|---:|---|");
const cacheDir = join(work, "cache");
const check = (path: string, refresh = false) => () =>
  typeCheckSpec(path, path, { cacheDir, quiet: true, refresh });
for (let i = 0; i < repeat; i++) {
  const path = freshSpec("spec.ts");
  await timed(`first check, spec imports spec.ts (#${i + 1})`, check(path));
  await timed(`again, Deno's check cache warm (#${i + 1})`, check(path, true));
  await timed(`again, the runner's remembered pass (#${i + 1})`, check(path));
}
await timed("first check, spec imports mod.ts", check(freshSpec("mod.ts")));

/** A whole `run` process of the shipped TS spec, every step cached. */
async function run(label: string, extra: string[]): Promise<[number, number]> {
  const cpu0 = childCpu();
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      ...denoRunArgs,
      join(root, "runners", "cli.ts"),
      "run",
      join(root, "experiments", "toppop-tiny.ts"),
      "--cache-dir",
      cacheDir,
      "--results-dir",
      join(work, "results"),
      "-q",
      ...extra,
    ],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${label} failed`);
  return [(performance.now() - t0) / 1000, childCpu() - cpu0];
}
Deno.mkdirSync(join(work, "results"));
await run("warm-up (computes the steps, checks once)", []);
// Alternated, so both see the same load; CPU seconds are the fairer figure under load.
const rows: Array<[string, Array<[number, number]>]> = [
  ["remembered pass", []],
  ["--no-type-check", []],
];
for (let i = 0; i < repeat * 2; i++) {
  rows[0][1].push(await run("remembered", []));
  rows[1][1].push(await run("skipped", ["--no-type-check"]));
}
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  "\n| cached `run experiments/toppop-tiny.ts`, whole process | median wall | median CPU " +
    "(user+sys) | runs | load |",
);
console.log("|---|---:|---:|---:|---|");
for (const [label, times] of rows) {
  const wall = median(times.map(([w]) => w)).toFixed(2);
  const cpu = median(times.map(([, c]) => c)).toFixed(2);
  console.log(`| ${label} | ${wall} s | ${cpu} s | ${times.length} | ${load()} |`);
}
Deno.removeSync(work, { recursive: true });
