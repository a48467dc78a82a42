/**
 * The kernel calls of one step of the inverse, as a flat list the main thread fills and a
 * runner executes: in this thread, or spread over workers that claim jobs from a shared
 * counter. Each job writes its own block of C, so the result does not depend on who ran it.
 */
import type { PanelKernel } from "./panel_kernel.ts";

/** Fields per job: c, ldc, a, b, rowStrips, colStrips, kc, negate. */
export const JOB_FIELDS = 8;
/** Column strips per job at most: keeps a job's B strips in L2 and gives workers slices. */
const MAX_COL_STRIPS = 64;

export class UpdateJobs {
  jobs: Int32Array;
  count = 0;
  /** multiply-adds queued since the last clear (for progress) */
  work = 0;

  constructor(capacity = 1024, shared = false) {
    const bytes = capacity * JOB_FIELDS * 4;
    this.jobs = new Int32Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }

  clear(): void {
    this.count = 0;
    this.work = 0;
  }

  /** C[rows, cols] +=/-= A . B^T, cut into jobs of at most MAX_COL_STRIPS column strips. */
  add(
    c: number,
    ldc: number,
    a: number,
    b: number,
    rowStrips: number,
    colStrips: number,
    kc: number,
    negate: boolean,
    nr: number,
  ): void {
    for (let from = 0; from < colStrips; from += MAX_COL_STRIPS) {
      const strips = Math.min(MAX_COL_STRIPS, colStrips - from);
      if (this.count * JOB_FIELDS === this.jobs.length) this.#grow();
      this.jobs.set(
        [c + from * nr, ldc, a, b + from * kc * nr, rowStrips, strips, kc, negate ? 1 : 0],
        this.count * JOB_FIELDS,
      );
      this.count++;
    }
    this.work += rowStrips * colStrips * kc;
  }

  #grow(): void {
    const shared = this.jobs.buffer instanceof SharedArrayBuffer;
    const bytes = this.jobs.byteLength * 2;
    const bigger = new Int32Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    bigger.set(this.jobs);
    this.jobs = bigger;
  }
}

/** Runs jobs[from, to) with `kernel`. */
export function runJobs(kernel: PanelKernel, jobs: Int32Array, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    const f = j * JOB_FIELDS;
    kernel.update(
      jobs[f],
      jobs[f + 1],
      jobs[f + 2],
      jobs[f + 3],
      jobs[f + 4],
      jobs[f + 5],
      jobs[f + 6],
      jobs[f + 7] === 1,
    );
  }
}

/** Executes the queued jobs of a step; resolves when all are done. */
export interface JobRunner {
  readonly kernel: string;
  readonly threads: number;
  run(jobs: UpdateJobs): Promise<void> | void;
  close(): void;
}

/** Runs jobs in this thread. */
export function localRunner(kernel: PanelKernel): JobRunner {
  return {
    kernel: kernel.kind,
    threads: 1,
    run: (jobs) => runJobs(kernel, jobs.jobs, 0, jobs.count),
    close() {},
  };
}
