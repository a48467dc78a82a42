import { createHash } from "node:crypto";
import { codeClosure } from "./module_graph.ts";

/** A content hash (sha256, hex). Branded so a path or a name cannot be passed by mistake. */
export type Fingerprint = string & { readonly __brand: "Fingerprint" };

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** JSON with object keys sorted at every depth, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The fingerprint of a step: its kind, its code, its parameters and its inputs. */
export function stepFingerprint(parts: {
  kind: string;
  implementation: string;
  params: unknown;
  inputs: Record<string, Fingerprint>;
  rawFiles?: Record<string, string>;
}): Fingerprint {
  return sha256(canonicalJson(parts)) as Fingerprint;
}

/** What runs the code besides its source: the Deno version (V8, built-ins) and the platform. */
export function runtimeDescription(): string {
  return `deno ${Deno.version.deno} ${Deno.build.os}-${Deno.build.arch}`;
}

/**
 * Hash of the code a step runs: the source of its modules and of every project module they
 * import to run (transitively; type-only imports do not count), the locked versions of the
 * npm/jsr packages that code imports (with their dependencies), and the runtime. See
 * module_graph.ts for exactly which imports are followed.
 */
export function implementationHash(
  moduleUrls: string[],
  runtime: string = runtimeDescription(),
): string {
  const { files, packages } = codeClosure(moduleUrls);
  return sha256(
    [
      runtime,
      ...[...files.values()].sort(),
      ...[...packages].sort(),
    ].join("\n"),
  );
}
