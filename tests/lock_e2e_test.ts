/**
 * Step locks are leases: exclusive while renewed, taken over at once from a dead local
 * process, and after the TTL (on the waiter's own clock) from a holder elsewhere.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import { StepLocks } from "../runners/cache/lock.ts";
import { toFileUrl } from "../runners/paths.ts";

const lockModule = toFileUrl(join(import.meta.dirname!, "..", "runners", "cache", "lock.ts")).href;
const fast = { ttlMs: 200, renewMs: 40 };

/** Starts `code` in a fresh Deno process (now), with `StepLocks` imported; its stdout. */
function child(code: string): Promise<string> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["eval", `import { StepLocks } from "${lockModule}";\n${code}`],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  return process.output().then((out) => {
    assert.equal(out.code, 0);
    return new TextDecoder().decode(out.stdout).trim();
  });
}

Deno.test("a lock is exclusive until released", () => {
  const root = Deno.makeTempDirSync({ prefix: "lock-" });
  try {
    const a = new StepLocks(root, { timing: fast });
    const b = new StepLocks(root, { timing: fast });
    assert.ok(a.tryAcquire("step"));
    assert.equal(b.tryAcquire("step"), false);
    a.release("step");
    assert.ok(b.tryAcquire("step"));
    b.release("step");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("a lock left by a killed local process is taken over at once", async () => {
  const root = Deno.makeTempDirSync({ prefix: "lock-" });
  try {
    // The child takes the lock and dies without releasing it, like a killed run.
    await child(`new StepLocks(${JSON.stringify(root)}).tryAcquire("s"); Deno.exit(0);`);
    const messages: string[] = [];
    const locks = new StepLocks(root, { now: () => 0 });
    assert.ok(locks.tryAcquire("s", (m) => messages.push(m)));
    assert.match(messages[0], /taking over .* its process is gone/);
    locks.release("s");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("a lock from another host or container expires once unrenewed for the TTL", () => {
  const root = Deno.makeTempDirSync({ prefix: "lock-" });
  try {
    // What a run killed in another container leaves: another hostname and PID namespace.
    Deno.mkdirSync(join(root, "locks"));
    const holder = {
      host: "container-7f3a",
      pid: 1,
      boot: "other-boot",
      pidNamespace: "pid:[1]",
      processStart: "1",
      run: "20261130T100000Z-abcdef",
      since: "2026-11-30T10:00:00.000Z",
    };
    Deno.writeTextFileSync(join(root, "locks", "s.lock"), JSON.stringify({ token: "t", holder }));
    let clock = 1_000_000;
    const locks = new StepLocks(root, { timing: { ttlMs: 200, renewMs: 40 }, now: () => clock });
    assert.match(locks.holder("s"), /host container-7f3a pid 1 \(run 20261130T100000Z-abcdef\)/);
    assert.match(locks.holder("s"), /since 2026-11-30T10:00:00\.000Z/);
    assert.equal(locks.tryAcquire("s"), false);
    clock += 199;
    assert.equal(locks.tryAcquire("s"), false, "not yet: the TTL has not passed");
    // A renewal (mtime bump) restarts the waiter's count.
    const later = new Date(Date.now() + 5000);
    Deno.utimeSync(join(root, "locks", "s.lock"), later, later);
    clock += 199;
    assert.equal(locks.tryAcquire("s"), false, "renewed: still live");
    clock += 199;
    assert.equal(locks.tryAcquire("s"), false);
    clock += 1;
    const messages: string[] = [];
    assert.ok(locks.tryAcquire("s", (m) => messages.push(m)), "expired: taken over");
    assert.match(messages[0], /container-7f3a.*not renewed for 0\.2 s/);
    locks.release("s");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("a lease stays live while the main thread is blocked longer than the TTL", async () => {
  const root = Deno.makeTempDirSync({ prefix: "lock-" });
  try {
    const locks = new StepLocks(root, { timing: fast, run: "blocked-run" });
    await locks.acquire("s");
    const lockFile = join(root, "locks", "s.lock");
    const before = Deno.statSync(lockFile).mtime!.getTime();
    const done = join(root, "done");
    // Another process tries to take the lock for 5 TTLs, judging expiry on its own clock.
    const waiter = child(`
      const locks = new StepLocks(${JSON.stringify(root)}, { timing: ${JSON.stringify(fast)} });
      const end = Date.now() + 1000;
      let got = false;
      while (!got && Date.now() < end) {
        got = locks.tryAcquire("s");
        await new Promise((r) => setTimeout(r, 20));
      }
      Deno.writeTextFileSync(${JSON.stringify(done)}, got ? "taken" : "held");
      console.log(got ? "taken" : "held");
      Deno.exit(0);
    `);
    // A synchronous hot loop (like SVD++ training) that blocks this thread until the waiter
    // has given up; no timer of the main thread can run meanwhile.
    const started = performance.now();
    let spins = 0;
    for (;;) {
      spins++;
      if (spins % 100_000 === 0) {
        try {
          Deno.statSync(done);
          break;
        } catch { /* still waiting */ }
        assert.ok(performance.now() - started < 30_000, "the waiter never finished");
      }
    }
    assert.ok(performance.now() - started > fast.ttlMs, "blocked longer than the TTL");
    assert.equal(await waiter, "held", "a renewed lease must not be taken over");
    assert.ok(Deno.statSync(lockFile).mtime!.getTime() > before, "renewed while blocked");
    locks.release("s");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("a lock file of the older format ({pid, host}) from a dead local process is taken over", async () => {
  const root = Deno.makeTempDirSync({ prefix: "lock-" });
  try {
    const dead = new Deno.Command(Deno.execPath(), { args: ["eval", "0"] }).spawn();
    await dead.status;
    Deno.mkdirSync(join(root, "locks"));
    Deno.writeTextFileSync(
      join(root, "locks", "s.lock"),
      JSON.stringify({ pid: dead.pid, host: hostname() }),
    );
    const locks = new StepLocks(root, { now: () => 0 });
    assert.ok(locks.tryAcquire("s"));
    locks.release("s");
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
