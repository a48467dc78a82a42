import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The project root (the folder holding deno.json), for default cache and results folders. */
export const projectRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

export function toFileUrl(path: string): URL {
  return pathToFileURL(path);
}

export function fromFileUrl(url: string | URL): string {
  return fileURLToPath(url);
}
