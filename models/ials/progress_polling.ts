/**
 * Progress of work done in workers: the main thread is idle while it waits, so it reads the
 * shared chunk counter twice a second and reports rows done (the reporter adds rate and ETA).
 */
export async function pollProgress<T>(
  work: Promise<T>,
  done: () => number,
  report: (done: number) => void,
): Promise<T> {
  const timer = setInterval(() => report(done()), 500);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Rows claimed so far from a claimChunks counter (an upper bound on rows done). */
export function claimedRows(counter: Int32Array, chunk: number, total: number): number {
  return Math.min(total, Atomics.load(counter, 0) * chunk);
}
