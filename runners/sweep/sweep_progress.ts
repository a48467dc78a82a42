import { relative } from "node:path";
import type { Trial } from "./trials.ts";
import type { TrialResult } from "./run_sweep.ts";

/** One line per trial start and finish on stderr, stamped with the time since the start. */
export class SweepProgress {
  private readonly started = performance.now();
  private readonly encoder = new TextEncoder();

  constructor(private readonly total: number, private readonly quiet = false) {}

  private line(text: string) {
    if (this.quiet) return;
    const elapsed = formatSeconds((performance.now() - this.started) / 1000);
    Deno.stderr.writeSync(this.encoder.encode(`[${elapsed.padStart(6)}] ${text}\n`));
  }

  planned(
    counts: { toRun: number; done: number; jobs?: number },
    sweepDir?: string,
    launcher: "local" | "slurm" = "local",
  ) {
    const already = counts.done ? `, ${counts.done} done already` : "";
    const logs = sweepDir ? `; logs in ${displayPath(sweepDir)}` : "";
    const where = launcher === "slurm" ? " as a Slurm job array" : "";
    const atOnce = counts.jobs
      ? `at most ${counts.jobs} at once`
      : "as many at once as Slurm allows";
    this.line(
      `sweep of ${this.total} trials${already}: ${counts.toRun} to run${where}, ${atOnce}${logs}`,
    );
  }

  /** A line of its own (submission, cancel, detach). */
  note(text: string) {
    this.line(text);
  }

  /** The queue as Slurm shows it, with an ETA from the trials finished so far. */
  queue(counts: { pending: number; running: number; finished: number; finishedSeconds: number[] }) {
    const { pending, running, finished, finishedSeconds: done } = counts;
    let eta = "";
    if (done.length && pending + running) {
      const mean = done.reduce((a, b) => a + b, 0) / done.length;
      const waves = Math.ceil((pending + running) / Math.max(1, running));
      eta = `, ETA ~${formatSeconds(mean * waves)}`;
    }
    this.line(`slurm: ${pending} pending, ${running} running, ${finished} finished${eta}`);
  }

  trialStarted(trial: Trial) {
    this.line(`${this.label(trial)} started   ${trial.overrides.map((o) => o.text).join(" ")}`);
  }

  trialFinished(result: TrialResult) {
    const took = formatSeconds(result.seconds ?? 0);
    const label = this.label(result.trial);
    if (result.status === "ran") {
      this.line(`${label} ok in ${took}  ${result.runDir ? displayPath(result.runDir) : ""}`);
    } else if (result.status === "killed") {
      this.line(`${label} killed after ${took} (--fail-fast)`);
    } else if (result.status === "cancelled") {
      this.line(`${label} cancelled (${result.note}); log: ${displayPath(result.logFile!)}`);
    } else {
      const why = result.note ?? `exit ${result.exitCode}`;
      this.line(`${label} FAILED (${why}) after ${took}; log: ${displayPath(result.logFile!)}`);
    }
  }

  private label(trial: Trial) {
    return `trial ${trial.index}/${this.total}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** A path relative to the working folder when it lies inside it, else as is. */
export function displayPath(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}
