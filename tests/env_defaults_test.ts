/** An empty environment variable means "unset": the defaults apply, not the current folder. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { envSetting, projectRoot } from "../runners/paths.ts";
import { defaultCacheDir, defaultResultsDir } from "../runners/run.ts";

Deno.test("RECSYS_CACHE / RECSYS_RESULTS set to empty or blank fall back to the defaults", () => {
  const saved = ["RECSYS_CACHE", "RECSYS_RESULTS"].map((n) => [n, Deno.env.get(n)] as const);
  try {
    for (const value of ["", "  "]) {
      Deno.env.set("RECSYS_CACHE", value);
      Deno.env.set("RECSYS_RESULTS", value);
      assert.equal(defaultCacheDir(), join(projectRoot, ".cache"));
      assert.equal(defaultResultsDir(), join(projectRoot, "results"));
      assert.equal(envSetting("RECSYS_CACHE"), undefined);
    }
    Deno.env.set("RECSYS_CACHE", "/somewhere");
    assert.equal(defaultCacheDir(), "/somewhere");
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
});
