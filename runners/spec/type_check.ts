/**
 * The type check of a TS spec before it is imported: `deno check` with the project's
 * deno.json and deno.lock, as the user would run it, so a field of the wrong type is told by
 * the compiler (file:line:col) before anything runs. A passed check is remembered in
 * `<cache>/typecheck/<key>.json`, keyed by everything the compiler reads (see checkKey), so
 * an unchanged spec is not checked again.
 */
import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { runtimeDescription, sha256 } from "../fingerprint.ts";
import { codeClosure } from "../module_graph.ts";
import { envSetting, projectRoot, toFileUrl } from "../paths.ts";
import { typeCheckError } from "./compiler_diagnostics.ts";
import { fileExists } from "../path_exists.ts";

export interface TypeCheckOptions {
  /** the cache folder; passed checks are remembered under `typecheck/` in it */
  cacheDir: string;
  /** why the check is skipped ("--no-type-check", "$RECSYS_TYPE_CHECK=0"), said in the log */
  skipped?: string;
  /** check again even if a pass is remembered (`--no-cache`) */
  refresh?: boolean;
  /** no log line on stderr */
  quiet?: boolean;
}

export type TypeCheckOutcome = "passed" | "cached" | "skipped";

const configPath = join(projectRoot, "deno.json");
const lockPath = join(projectRoot, "deno.lock");

/**
 * The options a command gives: `--no-type-check` (commander's `typeCheck: false`), else
 * `$RECSYS_TYPE_CHECK` (0/false/no/off skip it; 1/true/yes/on or unset check).
 */
export function typeCheckOptions(
  opts: { typeCheck?: boolean; cache?: boolean; quiet?: boolean },
  cacheDir: string,
): TypeCheckOptions {
  const base = { cacheDir, refresh: opts.cache === false, quiet: opts.quiet === true };
  if (opts.typeCheck === false) return { ...base, skipped: "--no-type-check" };
  const env = envSetting("RECSYS_TYPE_CHECK")?.trim().toLowerCase();
  if (env === undefined || ["1", "true", "yes", "on"].includes(env)) return base;
  if (["0", "false", "no", "off"].includes(env)) {
    return { ...base, skipped: `$RECSYS_TYPE_CHECK=${env}` };
  }
  throw new UserError(`'${env}' is not a switch: use 0/false/no/off or 1/true/yes/on`, {
    path: "$RECSYS_TYPE_CHECK",
  });
}

/** Checks the spec at `path` (`file` as the user named it); a UserError when it fails. */
export async function typeCheckSpec(
  file: string,
  path: string,
  options: TypeCheckOptions,
): Promise<TypeCheckOutcome> {
  const log = (text: string) => {
    if (!options.quiet) console.error(`type check: ${text}`);
  };
  if (options.skipped) {
    log(`skipped (${options.skipped}); the spec's values are still validated`);
    return "skipped";
  }
  const before = checkKey(path);
  const entry = join(options.cacheDir, "typecheck", `${before.key}.json`);
  if (!options.refresh && fileExists(entry)) {
    log(`${file} passed before, unchanged (cached)`);
    return "cached";
  }
  const started = performance.now();
  const output = await denoCheck(resolve(path));
  const seconds = (performance.now() - started) / 1000;
  if (!output.success) throw typeCheckError(output.text, { file, path: resolve(path) });
  // The check may have added a package to deno.lock: remember the pass under the key the
  // next run computes, unless the code itself changed while it was being checked.
  const after = checkKey(path);
  if (after.files === before.files) {
    try {
      remember(options.cacheDir, after.key, path, seconds);
    } catch (error) {
      // Not remembering costs the next run a check, nothing else: say so and go on.
      log(`the pass could not be remembered in ${options.cacheDir}: ${(error as Error).message}`);
    }
  }
  log(`${file} passed (deno check, ${seconds.toFixed(1)} s)`);
  return "passed";
}

async function denoCheck(path: string): Promise<{ success: boolean; text: string }> {
  const first = await spawnCheck(path);
  if (!(first.success && /No matching files found/.test(first.text))) return first;
  // A spec in a folder deno.json excludes (results/, .cache/) is skipped when named, with
  // success: check it through a module that imports it, which is not skipped.
  const dir = Deno.makeTempDirSync({ prefix: "recsys-type-check-" });
  try {
    const root = join(dir, "check.ts");
    Deno.writeTextFileSync(root, `import ${JSON.stringify(toFileUrl(path).href)};\n`);
    return await spawnCheck(root);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

async function spawnCheck(root: string): Promise<{ success: boolean; text: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["check", `--lock=${lockPath}`, `--config=${configPath}`, root],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { success: output.success, text: decode(output.stderr) + decode(output.stdout) };
}

/**
 * What the compiler's verdict depends on: every file the spec reaches through imports of
 * any kind (paths and sha256), the locked packages they import, the project's deno.json
 * (compiler options, import map) and deno.lock, and the Deno and TypeScript versions.
 */
export function checkKey(path: string): { key: string; files: string } {
  const { files, packages } = codeClosure([toFileUrl(resolve(path)).href], "types");
  const fileLines = [...files].map(([file, hash]) => `${file} ${hash}`).sort().join("\n");
  const key = sha256(
    [
      runtimeDescription(),
      `typescript ${Deno.version.typescript}`,
      `deno.json ${hashOf(configPath)}`,
      `deno.lock ${hashOf(lockPath)}`,
      fileLines,
      ...[...packages].sort(),
    ].join("\n"),
  );
  return { key, files: fileLines };
}

function hashOf(file: string): string {
  try {
    return sha256(Deno.readFileSync(file));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "none";
    throw error;
  }
}

/** The pass, written whole (temporary name, then rename) so a reader never sees half. */
function remember(cacheDir: string, key: string, path: string, seconds: number): void {
  const dir = join(cacheDir, "typecheck");
  Deno.mkdirSync(dir, { recursive: true });
  const target = join(dir, `${key}.json`);
  const temporary = `${target}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const record = {
    spec: resolve(path),
    checked_at: new Date().toISOString(),
    seconds: Number(seconds.toFixed(3)),
    deno: Deno.version.deno,
    typescript: Deno.version.typescript,
  };
  Deno.writeTextFileSync(temporary, JSON.stringify(record, null, 2) + "\n");
  Deno.renameSync(temporary, target);
}
