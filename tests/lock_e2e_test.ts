/** Step locks: exclusive while held, released, and taken over from a dead process. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import { StepLocks } from "../runners/cache/lock.ts";

Deno.test("a lock is exclusive until released", () => {
  const root = Deno.makeTempDirSync();
  const a = new StepLocks(root);
  assert.ok(a.tryAcquire("step"));
  // Another process would see our live pid; simulate with a foreign pid that is alive (1).
  Deno.writeTextFileSync(
    join(root, "locks", "step.lock"),
    JSON.stringify({ pid: 1, host: hostname() }),
  );
  assert.equal(new StepLocks(root).tryAcquire("step"), false);
  a.release("step");
  assert.ok(new StepLocks(root).tryAcquire("step"));
});

Deno.test("a lock left by a killed process is taken over", async () => {
  const root = Deno.makeTempDirSync();
  // A real process that has exited: its pid is free (or reused, which a dead run cannot be).
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", "0"] }).spawn();
  await child.status;
  Deno.mkdirSync(join(root, "locks"));
  Deno.writeTextFileSync(
    join(root, "locks", "s.lock"),
    JSON.stringify({ pid: child.pid, host: hostname() }),
  );
  assert.ok(new StepLocks(root).tryAcquire("s"));
});
