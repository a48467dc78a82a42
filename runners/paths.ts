import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The project root (the folder holding deno.json), for default cache and results folders. */
export const projectRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/**
 * `deno run` with the project's lock file, for the processes the runner starts (sweep trials,
 * benchmarks). deno.json turns the lock off for `deno task`'s own process (else it installs
 * every locked package, BERT's 700 MB included, before any task): every command names it.
 */
export const denoRunArgs = ["run", `--lock=${resolve(projectRoot, "deno.lock")}`, "-A"];

export function toFileUrl(path: string): URL {
  return pathToFileURL(path);
}

export function fromFileUrl(url: string | URL): string {
  return fileURLToPath(url);
}

/**
 * An environment variable that names a setting: unset, empty or blank all mean "not set"
 * (`RECSYS_CACHE= deno task run` must not make the cache the current folder).
 */
export function envSetting(name: string): string | undefined {
  const value = Deno.env.get(name);
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** Where cached artifacts live: `$RECSYS_CACHE`, else `.cache/` in the project. */
export const defaultCacheDir = () => envSetting("RECSYS_CACHE") ?? join(projectRoot, ".cache");

/** Where run folders go: `$RECSYS_RESULTS`, else `results/` in the project. */
export const defaultResultsDir = () => envSetting("RECSYS_RESULTS") ?? join(projectRoot, "results");
