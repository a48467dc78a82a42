/**
 * Scratch pruning against a real dead process: a run killed mid-step leaves its scratch
 * folder and lease behind; the next run prunes it at once, never a live step's folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ArtifactStore } from "../runners/cache/store.ts";
import { toFileUrl } from "../runners/paths.ts";

async function withStore(test: (store: ArtifactStore, root: string) => Promise<void> | void) {
  const root = Deno.makeTempDirSync({ prefix: "store-" });
  try {
    await test(new ArtifactStore(root, { leaseTiming: { ttlMs: 200, renewMs: 40 } }), root);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

Deno.test("a running step's scratch folder is kept however old; a dead run's is pruned", async () => {
  await withStore(async (store, root) => {
    const storeModule = toFileUrl(
      join(import.meta.dirname!, "..", "runners", "cache", "store.ts"),
    ).href;
    // A run killed mid-step: its scratch folder and lease stay behind.
    const killed = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { ArtifactStore } from "${storeModule}";
         console.log(new ArtifactStore(${JSON.stringify(root)}).scratch()); Deno.exit(0);`,
      ],
    }).output();
    const dead = new TextDecoder().decode(killed.stdout).trim();
    assert.ok(Deno.statSync(dead).isDirectory);
    // A step of this run that has been running for days (its folder's mtime says so).
    const live = store.scratch();
    const longAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    Deno.utimeSync(live, longAgo, longAgo);
    assert.equal(new ArtifactStore(root).pruneScratch(), 1, "the dead run's folder, at once");
    assert.throws(() => Deno.statSync(dead), Deno.errors.NotFound);
    assert.ok(Deno.statSync(live).isDirectory, "a live step's folder is never pruned");
    store.dropScratch(live);
  });
});
