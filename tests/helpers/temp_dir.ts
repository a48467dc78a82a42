/**
 * Temporary folders for tests, removed when the test module ends: `deno test` runs each test
 * file in its own isolate and fires `unload` when it is done, failed tests included. For
 * folders shared by a file's tests (module-level) or made in helpers, where try/finally has
 * no natural place.
 */
const made: string[] = [];

export function tempDir(prefix = "recsys-test-"): string {
  if (!made.length) globalThis.addEventListener("unload", removeAll);
  const dir = Deno.makeTempDirSync({ prefix });
  made.push(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made.splice(0)) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone (a test removed it itself)
    }
  }
}
