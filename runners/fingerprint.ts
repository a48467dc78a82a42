import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fromFileUrl } from "./paths.ts";

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

const sourceHashes = new Map<string, string>();

/**
 * Hash of a module's source and of every project module it imports, transitively, so an
 * edit anywhere in a step's code invalidates its cached outputs. Bare (npm) imports are
 * covered by the lock file, whose hash is added by the caller.
 */
export function implementationHash(moduleUrls: string[]): string {
  const seen = new Set<string>();
  const pending = moduleUrls.map((url) => url.startsWith("file:") ? fromFileUrl(url) : url);
  const hashes: string[] = [];
  while (pending.length) {
    const path = pending.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const source = Deno.readTextFileSync(path);
    let hash = sourceHashes.get(path);
    if (!hash) {
      hash = sha256(source);
      sourceHashes.set(path, hash);
    }
    hashes.push(hash);
    for (const match of source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      pending.push(resolve(dirname(path), match[1]));
    }
  }
  return sha256(hashes.sort().join("\n"));
}
