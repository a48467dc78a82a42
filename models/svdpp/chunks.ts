/**
 * Work sharing between workers: the range 0 .. total is cut into chunks of `chunk` and each
 * worker claims the next unclaimed chunk from a shared counter until none is left. A worker
 * slowed by other load on its core simply claims fewer chunks. Each chunk is computed the
 * same way whoever claims it, so per-user results do not depend on the schedule.
 */
export function claimChunks(
  counter: Int32Array,
  total: number,
  chunk: number,
  work: (from: number, to: number) => void,
): void {
  for (;;) {
    const from = Atomics.add(counter, 0, 1) * chunk;
    if (from >= total) return;
    work(from, Math.min(total, from + chunk));
  }
}

/** A chunk size giving each of `threads` workers about `perThread` chunks, a multiple of `unit`. */
export function chunkSize(total: number, threads: number, perThread: number, unit = 1): number {
  const size = Math.ceil(total / (threads * perThread) / unit) * unit;
  return Math.max(unit, size);
}
