/// <reference lib="deno.worker" />
/**
 * The heartbeat thread (see heartbeat.ts): bumps each lease file's mtime every `renewMs`.
 * Touching never creates a file, so a released lease cannot come back. The mtime is a
 * counter (always at least a second past the previous one, for coarse file systems), not a
 * time anyone compares with a clock.
 */
const timers = new Map<string, ReturnType<typeof setInterval>>();
let last = 0;

function renew(path: string): void {
  last = Math.max(Date.now(), last + 1000);
  const stamp = new Date(last);
  try {
    Deno.utimeSync(path, stamp, stamp);
  } catch {
    // released, or taken over after we stalled: nothing left to renew
    clearInterval(timers.get(path));
    timers.delete(path);
  }
}

self.onmessage = (event: MessageEvent<{ add?: string; remove?: string; renewMs?: number }>) => {
  const { add, remove, renewMs } = event.data;
  if (add) {
    clearInterval(timers.get(add));
    timers.set(add, setInterval(() => renew(add), renewMs));
  }
  if (remove) {
    clearInterval(timers.get(remove));
    timers.delete(remove);
  }
};

// Tells the main thread the heartbeat is beating (module loaded, handler installed).
self.postMessage("ready");
