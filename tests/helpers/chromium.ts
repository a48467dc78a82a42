/** Debian's Chromium (or $CHROMIUM) for the tests that open pages headless; undefined if absent. */
import { join } from "node:path";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

export function findChromium(): string | undefined {
  const explicit = Deno.env.get("CHROMIUM");
  if (explicit) return explicit;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    for (const name of CANDIDATES) {
      try {
        if (Deno.statSync(join(dir, name)).isFile) return join(dir, name);
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
}
