/**
 * The code a module runs: the project files it imports (transitively) and the locked
 * versions of the packages they import. Only imports that run code are followed:
 *
 * - static imports and re-exports of values (`import … from`, `import "./x.ts"`,
 *   `export … from`), but not `import type` / `export type … from`, which TypeScript erases;
 * - dynamic `import("./x.ts")` (not the type `typeof import("./x.ts")`);
 * - files named by `new URL("./x.ts", import.meta.url)` (Worker modules, data files).
 *
 * An import marked `// fingerprint: dispatch` on the line above is a lookup table (e.g. the
 * model registry a train step picks its model from): it is not followed, and the planner adds
 * the code actually picked to the step (`PlannedStep.modules`), so one model's code never
 * enters another model's fingerprint.
 *
 * Bare specifiers resolve through the nearest deno.json `imports`; an npm or jsr package
 * counts with its whole locked dependency closure (name, version, integrity from deno.lock).
 * `node:` built-ins come with the Deno version, which the caller adds.
 *
 * `follow: "types"` is the closure the TypeScript compiler reads instead (the type check of a
 * TS spec is keyed by it): type-only imports, `typeof import(…)`, dispatch imports and
 * `/// <reference path|types>` count too, and files are read afresh on every call.
 */
import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fromFileUrl } from "./paths.ts";

export interface CodeClosure {
  /** absolute path -> sha256 of its source */
  files: Map<string, string>;
  /** "name@version integrity" lines of every locked package the code imports */
  packages: Set<string>;
}

interface ScannedModule {
  hash: string;
  /** relative specifiers (or file URLs) of modules and files it needs at run time */
  local: string[];
  /** bare, npm: and jsr: specifiers */
  packages: string[];
}

const STATIC_IMPORT = /^[ \t]*(?:import|export)(?!\s+type\b)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/gm;
const ANY_STATIC_IMPORT = /^[ \t]*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/gm;
const REFERENCE = /^[ \t]*\/\/\/[ \t]*<reference\s+(?:path|types)\s*=\s*["']([^"']+)["']/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /(\btypeof\s+)?\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;
const MODULE_URL = /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;
const MODULE_FILE = /\.(?:[cm]?[jt]sx?)$/;

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An import statement right below a `// fingerprint: dispatch` line (see the module comment). */
const DISPATCH_IMPORT =
  /^[ \t]*\/\/[ \t]*fingerprint:[ \t]*dispatch\b[^\n]*\n[ \t]*(?:import|export)\b[^;]*;/gm;

/** What a closure follows: the imports that run code, or all the compiler reads. */
export type Follow = "run" | "types";

/** The imports of one module's source that `follow` counts (see the module comment). */
export function scanImports(
  text: string,
  follow: Follow = "run",
): { local: string[]; packages: string[] } {
  const types = follow === "types";
  const source = types ? text : text.replace(DISPATCH_IMPORT, "");
  const specifiers: string[] = [];
  for (const m of source.matchAll(types ? ANY_STATIC_IMPORT : STATIC_IMPORT)) specifiers.push(m[1]);
  for (const m of source.matchAll(SIDE_EFFECT_IMPORT)) specifiers.push(m[1]);
  for (const m of source.matchAll(DYNAMIC_IMPORT)) if (types || !m[1]) specifiers.push(m[2]);
  if (types) { for (const m of source.matchAll(REFERENCE)) specifiers.push(m[1]); }
  const local: string[] = [];
  const packages: string[] = [];
  for (const specifier of specifiers) {
    if (isLocal(specifier)) local.push(specifier);
    else if (!specifier.startsWith("node:")) packages.push(specifier);
  }
  for (const m of source.matchAll(MODULE_URL)) {
    if (isLocal(m[1]) && !m[1].endsWith("/") && m[1] !== "." && m[1] !== "..") local.push(m[1]);
  }
  return { local, packages };
}

function isLocal(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") ||
    specifier.startsWith("file:");
}

const scanned = new Map<string, ScannedModule | null>();

/**
 * Hash and imports of a file; null when it does not exist. Memoised per process for the
 * run-time closure (a run plans many steps over the same files); a type check reads the
 * files as they are now.
 */
function scan(path: string, follow: Follow): ScannedModule | null {
  if (follow === "run" && scanned.has(path)) return scanned.get(path)!;
  let result: ScannedModule | null = null;
  try {
    const bytes = Deno.readFileSync(path);
    const hash = sha256(bytes);
    result = MODULE_FILE.test(path)
      ? { hash, ...scanImports(new TextDecoder().decode(bytes), follow) }
      : { hash, local: [], packages: [] };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory)) {
      throw error;
    }
  }
  if (follow === "run") scanned.set(path, result);
  return result;
}

/** Everything `moduleUrls` run (or, with `follow: "types"`, type-check): files and packages. */
export function codeClosure(moduleUrls: string[], follow: Follow = "run"): CodeClosure {
  const files = new Map<string, string>();
  const packages = new Set<string>();
  const pending = moduleUrls.map((url) => url.startsWith("file:") ? fromFileUrl(url) : url);
  while (pending.length) {
    const path = pending.pop()!;
    if (files.has(path)) continue;
    const module = scan(path, follow);
    // A missing file still counts (by name): it may appear later and change the code.
    files.set(path, module?.hash ?? "missing");
    if (!module) continue;
    for (const specifier of module.local) {
      pending.push(
        specifier.startsWith("file:") ? fromFileUrl(specifier) : resolve(dirname(path), specifier),
      );
    }
    const config = projectConfigFor(dirname(path));
    for (const specifier of module.packages) {
      const target = config.resolve(specifier);
      if (isLocal(target) || target.startsWith("/")) {
        pending.push(
          target.startsWith("file:") ? fromFileUrl(target) : resolve(config.dir, target),
        );
      } else {
        for (const line of config.lockedClosure(target)) packages.add(line);
      }
    }
  }
  return { files, packages };
}

interface LockFile {
  specifiers?: Record<string, string>;
  npm?: Record<string, LockedPackage>;
  jsr?: Record<string, LockedPackage>;
}

interface LockedPackage {
  integrity?: string;
  dependencies?: string[];
  optionalDependencies?: string[];
}

/** A deno.json's import map and the deno.lock beside it. */
class ProjectConfig {
  constructor(
    readonly dir: string,
    private readonly imports: Record<string, string>,
    private readonly lock: LockFile,
  ) {}

  /** A bare specifier through the import map (exact key, or the longest prefix key). */
  resolve(specifier: string): string {
    const exact = this.imports[specifier];
    if (exact !== undefined) return exact;
    let best: string | undefined;
    for (const key of Object.keys(this.imports)) {
      const prefix = key.endsWith("/") ? key : `${key}/`;
      if (specifier.startsWith(prefix) && (!best || key.length > best.length)) best = key;
    }
    if (best === undefined) return specifier;
    const base = this.imports[best];
    const rest = specifier.slice(best.endsWith("/") ? best.length : best.length + 1);
    return best.endsWith("/") ? base + rest : `${base}/${rest}`;
  }

  private readonly closures = new Map<string, string[]>();

  /** "id integrity" of a locked npm/jsr package and all it depends on; else the specifier. */
  lockedClosure(target: string): string[] {
    let closure = this.closures.get(target);
    if (!closure) this.closures.set(target, closure = this.computeClosure(target));
    return closure;
  }

  private computeClosure(target: string): string[] {
    const root = this.lockedId(target);
    if (!root) return [`unlocked ${target}`];
    const out: string[] = [];
    const seen = new Set<string>();
    const pending = [root];
    while (pending.length) {
      const { section, id } = pending.pop()!;
      if (seen.has(`${section}:${id}`)) continue;
      seen.add(`${section}:${id}`);
      const entry = this.lock[section]?.[id];
      out.push(`${section}:${id} ${entry?.integrity ?? "?"}`);
      for (const dep of [...entry?.dependencies ?? [], ...entry?.optionalDependencies ?? []]) {
        if (dep.startsWith("npm:") || dep.startsWith("jsr:")) {
          const locked = this.lockedId(dep);
          if (locked) pending.push(locked);
        } else {
          for (const key of this.matchingIds(section, dep)) pending.push({ section, id: key });
        }
      }
    }
    return out;
  }

  /** `npm:name@req/sub` -> the lock's package id (`name@version[_peers]`). */
  private lockedId(target: string): { section: "npm" | "jsr"; id: string } | null {
    const scheme = target.slice(0, 4);
    if (scheme !== "npm:" && scheme !== "jsr:") return null;
    const section = scheme === "npm:" ? "npm" : "jsr";
    const body = target.slice(4).replace(/^\//, "");
    // name (maybe @scope/name) and requirement, without a subpath
    const match = body.match(/^(@[^/]+\/[^/@]+|[^/@]+)(?:@([^/]+))?/);
    if (!match) return null;
    const [, name, requirement] = match;
    const version = this.lock.specifiers
      ?.[`${scheme}${name}${requirement ? `@${requirement}` : ""}`];
    if (version === undefined) return null;
    return { section, id: `${name}@${version}` };
  }

  /** Lock ids a dependency entry names: "name@version[_peers]" or a bare unique "name". */
  private matchingIds(section: "npm" | "jsr", dep: string): string[] {
    const ids = Object.keys(this.lock[section] ?? {});
    if (dep.lastIndexOf("@") > 0) {
      return ids.filter((id) => id === dep || id.startsWith(`${dep}_`));
    }
    return ids.filter((id) => id.startsWith(`${dep}@`) && !id.slice(dep.length + 1).includes("/"));
  }
}

const configs = new Map<string, ProjectConfig>();

/** The nearest deno.json (and deno.lock) at or above `dir`; an empty one if none. */
function projectConfigFor(dir: string): ProjectConfig {
  const cached = configs.get(dir);
  if (cached) return cached;
  let config: ProjectConfig;
  try {
    const text = Deno.readTextFileSync(join(dir, "deno.json"));
    let lock: LockFile = {};
    try {
      lock = JSON.parse(Deno.readTextFileSync(join(dir, "deno.lock")));
    } catch {
      // no lock: packages count by their specifier
    }
    config = new ProjectConfig(dir, JSON.parse(text).imports ?? {}, lock);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const parent = dirname(dir);
    config = parent === dir ? new ProjectConfig(dir, {}, {}) : projectConfigFor(parent);
  }
  configs.set(dir, config);
  return config;
}
