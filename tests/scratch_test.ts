/**
 * Scratch folders of a run on another host or container: pruned only once their lease has
 * gone unrenewed for the TTL, judged on this host's clock across short runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ScratchFolders } from "../runners/cache/scratch.ts";

Deno.test("another host's scratch folder is pruned once its lease is quiet for the TTL", () => {
  const root = Deno.makeTempDirSync({ prefix: "scratch-" });
  try {
    const name = "step-00112233aabb";
    Deno.mkdirSync(join(root, name));
    Deno.writeTextFileSync(join(root, name, "half.arrow"), "x");
    const holder = {
      host: "container-1",
      pid: 7,
      boot: "b",
      pidNamespace: "pid:[9]",
      processStart: "1",
      since: "2026-11-30T10:00:00.000Z",
    };
    Deno.writeTextFileSync(join(root, `${name}.lease`), JSON.stringify({ token: "t", holder }));
    const timing = { ttlMs: 200, renewMs: 40 };
    // Each run is a new process that prunes once; observations carry over on this host.
    const runAt = (ms: number) => new ScratchFolders(root, timing, () => ms).prune();
    assert.equal(runAt(1_000), 0, "first seen: live");
    assert.equal(runAt(1_150), 0, "quiet for less than the TTL");
    const later = new Date(Date.now() + 10_000);
    Deno.utimeSync(join(root, `${name}.lease`), later, later); // its heartbeat renews it
    assert.equal(runAt(1_300), 0, "renewed: the count starts again");
    assert.equal(runAt(1_499), 0);
    assert.equal(runAt(1_500), 1, "quiet for the TTL: its run is gone");
    assert.throws(() => Deno.statSync(join(root, name)), Deno.errors.NotFound);
    assert.throws(() => Deno.statSync(join(root, `${name}.lease`)), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
