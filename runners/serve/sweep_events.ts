/**
 * Server-sent events for a sweep: the sweep's view each time its sweep.json changes (the
 * sweep rewrites it when a trial starts and when one ends) or the way the server follows a
 * Slurm sweep changes, then the stream ends with the sweep. While a Slurm sweep still has
 * queued trials, the stream counts as a client of its poller (slurm_followers.ts), which
 * asks Slurm and records what ended. sweep.json is looked at four times a second while
 * someone watches; a client that goes away cancels the stream, which stops the looking
 * (request.signal is not used: Deno aborts it once a response starts, streaming or not).
 */
import { dirname } from "node:path";
import { followedView, type SlurmFollowers } from "./slurm_followers.ts";
import { readSweep, sweepFile } from "./sweeps.ts";

const POLL_MS = 250;
/** A comment line now and then keeps proxies and browsers from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export function sweepEvents(
  root: string,
  experiment: string,
  id: string,
  followers: SlurmFollowers,
): Response {
  const encoder = new TextEncoder();
  const file = sweepFile(root, experiment, id);
  const sweepDir = dirname(file);
  let timer: ReturnType<typeof setInterval> | undefined;
  let unwatch = () => {};
  let lastSeen = "";
  let lastSent = Date.now();
  const stop = () => {
    clearInterval(timer);
    unwatch();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const first = readSweep(root, experiment, id);
      if (first?.running && first.slurm_job !== null) unwatch = followers.watch(sweepDir);
      const tick = () => {
        let stamp: string;
        try {
          const info = Deno.statSync(file);
          stamp = `${info.mtime?.getTime()}:${info.size}:${info.ino}`;
        } catch {
          stamp = "missing";
        }
        const follow = followers.state(sweepDir);
        stamp += JSON.stringify(follow ?? null);
        if (stamp !== lastSeen) {
          const sweep = readSweep(root, experiment, id);
          if (sweep) {
            lastSeen = stamp;
            lastSent = Date.now();
            const view = followedView(sweep, follow);
            controller.enqueue(encoder.encode(`event: sweep\ndata: ${JSON.stringify(view)}\n\n`));
            if (!view.running) return close();
          }
        } else if (Date.now() - lastSent > KEEPALIVE_MS) {
          lastSent = Date.now();
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        }
      };
      tick();
      timer = setInterval(tick, POLL_MS);
    },
    cancel: stop,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
