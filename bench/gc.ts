/**
 * `gc` of a large cache (issue 13): a results folder of 10,000 synthetic run folders (9 steps
 * each in run.json, a tenth of them archived) and a cache of 10,000 artifacts, half of them
 * referenced by no run. Times a dry run, then the real gc, in process: wall and CPU seconds
 * (user + sys), so a loaded machine can still be read.
 *
 *   deno run -A bench/gc.ts [--runs 10000] [--artifacts 10000]
 */
import { join } from "node:path";
import process from "node:process";
import { collectGarbage } from "../runners/cache/gc.ts";
import { sha256 } from "../runners/fingerprint.ts";

const arg = (name: string, fallback: number) =>
  Deno.args.includes(name) ? Number(Deno.args[Deno.args.indexOf(name) + 1]) : fallback;
const runs = arg("--runs", 10_000);
const artifacts = arg("--artifacts", 10_000);

const work = Deno.makeTempDirSync({ prefix: "bench-gc-" });
try {
  const cacheDir = join(work, "cache");
  const resultsDir = join(work, "results");
  const fp = (i: number) => sha256(`artifact ${i}`);
  // Artifacts 0 .. artifacts/2 - 1 are referenced (each by several runs); the rest by none.
  const referenced = Math.floor(artifacts / 2);
  for (let i = 0; i < artifacts; i++) {
    const f = fp(i);
    const dir = join(cacheDir, "artifacts", f.slice(0, 2), f);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "manifest.json"), JSON.stringify({ step: "train", meta: {} }));
    Deno.writeFileSync(join(dir, "train.arrow"), new Uint8Array(4096));
  }
  for (let r = 0; r < runs; r++) {
    const id = `20261130T${String(Math.floor(r / 3600) % 24).padStart(2, "0")}${
      String(Math.floor(r / 60) % 60).padStart(2, "0")
    }${String(r % 60).padStart(2, "0")}Z-${(0xa00000 + r).toString(16).slice(-6)}`;
    const experiment = `exp${r % 20}`;
    const dir = r % 10 === 0
      ? join(resultsDir, ".archive", experiment, id)
      : join(resultsDir, experiment, id);
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "spec.json"), "{}");
    Deno.writeTextFileSync(join(dir, "metrics.json"), "{}");
    const steps = Array.from({ length: 9 }, (_, s) => ({
      name: `step${s}`,
      fingerprint: fp((r * 9 + s) % referenced),
      cached: true,
      seconds: 0.01,
      log: [],
    }));
    Deno.writeTextFileSync(join(dir, "run.json"), JSON.stringify({ run_id: id, steps }, null, 2));
  }

  console.log(`| gc, ${runs} run folders, ${artifacts} artifacts | wall s | CPU s |`);
  console.log("|---|---:|---:|");
  for (const dryRun of [true, false]) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const report = await collectGarbage({ cacheDir, resultsDirs: [resultsDir], dryRun });
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const removed = `${report.removed.length} ${dryRun ? "would go" : "removed"}`;
    console.log(
      `| ${dryRun ? "dry run" : "gc"} (${removed}, ${report.kept.length} kept) | ` +
        `${wall.toFixed(2)} | ${((used.user + used.system) / 1e6).toFixed(2)} |`,
    );
  }
} finally {
  Deno.removeSync(work, { recursive: true });
}
