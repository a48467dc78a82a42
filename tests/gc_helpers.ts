/** Cache and results folders in the runner's layout, for the gc tests. */
import { join } from "node:path";
import { type Holder, localHolder } from "../runners/cache/lease.ts";
import { sha256 } from "../runners/fingerprint.ts";
export { pathExists as exists } from "../runners/path_exists.ts";

export const fp = (i: number) => sha256(`artifact ${i}`);
export const artifactDir = (cache: string, f: string) => join(cache, "artifacts", f.slice(0, 2), f);

/** An artifact folder as the store commits it: a manifest and `bytes` bytes of table. */
export function writeArtifact(cache: string, f: string, bytes: number): void {
  const dir = artifactDir(cache, f);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ step: "train", fingerprint: f }),
  );
  Deno.writeFileSync(join(dir, "train.arrow"), new Uint8Array(bytes));
}

export type Place = "live" | "archived" | "partial";

/** A run folder whose run.json records steps with these fingerprints. */
export function writeRunFolder(
  results: string,
  n: number,
  fingerprints: string[],
  place: Place = "live",
) {
  const id = `20261130T1200${String(n % 60).padStart(2, "0")}Z-${
    (n + 0xa00000).toString(16).slice(-6)
  }`;
  const dir = place === "archived"
    ? join(results, ".archive", "exp", id)
    : join(results, "exp", place === "partial" ? `.${id}.partial` : id);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(join(dir, "spec.json"), "{}");
  Deno.writeTextFileSync(join(dir, "metrics.json"), "{}");
  const steps = fingerprints.map((f, i) => ({ name: `step${i}`, fingerprint: f, cached: false }));
  Deno.writeTextFileSync(join(dir, "run.json"), JSON.stringify({ run_id: id, steps }));
  return dir;
}

/**
 * A lease holder: this process (live), or a process of this machine that is gone (a pid
 * above Linux's default pid_max). Telling the latter needs /proc, which `--deny-run` (the
 * test:unit task) hides from Deno: tests of dead holders are e2e files.
 */
export function holder(live: boolean, run?: string): Holder {
  return live ? localHolder(run) : { ...localHolder(run), pid: 4_194_303, processStart: "1" };
}

/** A lock file as StepLocks writes it. */
export function writeLock(cache: string, f: string, live: boolean): void {
  Deno.mkdirSync(join(cache, "locks"), { recursive: true });
  const lockHolder = holder(live, "a run");
  Deno.writeTextFileSync(
    join(cache, "locks", `${f}.lock`),
    JSON.stringify({ token: "t", holder: lockHolder }),
  );
}
