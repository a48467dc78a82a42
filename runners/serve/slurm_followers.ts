/**
 * The results browser follows a Slurm sweep itself while someone looks at it: a detached
 * sweep's sweep.json moves only when someone asks Slurm. One poller per sweep folder,
 * however many pages listen; it runs pollSlurmSweep (what `sweep status` runs), which
 * merges ended trials into sweep.json, so the event stream sees the file change and pushes
 * it. It stops when no client watches any more or no trial is queued. When Slurm cannot be
 * asked (no squeue on PATH, a controller that does not answer) the state says so and the
 * poller tries again now and then; the page shows the last recorded state meanwhile.
 */
import { pollInterval } from "../slurm/follow_job.ts";
import { type PollSlurm, pollSlurmSweep } from "../sweep/slurm_sweep_poll.ts";
import { UserError } from "../errors.ts";
import type { SweepView } from "./sweeps.ts";

export interface FollowState {
  /** following: the last poll answered; cannot follow: it failed (see message) */
  state: "following" | "cannot follow";
  message?: string;
  /** Slurm tasks seen running (sweep.json still has their trials as "submitted") */
  running: string[];
}

export interface FollowerOptions {
  /** how Slurm is asked (default: squeue and scontrol through pollOnce) */
  poll?: PollSlurm;
  /** between two polls (default $RECSYS_SLURM_POLL_MS, as `sweep status`) */
  intervalMs?: number;
  /** between two tries after a failed poll */
  retryMs?: number;
  now?: () => number;
}

interface Follower {
  clients: number;
  /** a one-off look (the JSON API) keeps the poller on until then */
  until: number;
  running: Set<string>;
  problem?: string;
  wake: () => void;
  done: Promise<void>;
}

const RETRY_MS = 5_000;

export class SlurmFollowers {
  private readonly followers = new Map<string, Follower>();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: FollowerOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** A client (an event stream) watches the sweep until it calls the returned function. */
  watch(sweepDir: string): () => void {
    const follower = this.follower(sweepDir, 0);
    follower.clients++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      follower.clients--;
      if (follower.clients === 0) follower.wake();
    };
  }

  /** A one-off look: follow the sweep for `ms` from now. */
  touch(sweepDir: string, ms: number): void {
    this.follower(sweepDir, this.now() + ms);
  }

  /** How the sweep is followed now; undefined when no poller runs for it. */
  state(sweepDir: string): FollowState | undefined {
    const follower = this.followers.get(sweepDir);
    if (!follower) return undefined;
    const running = [...follower.running].sort();
    return follower.problem === undefined
      ? { state: "following", running }
      : { state: "cannot follow", message: follower.problem, running };
  }

  /** Resolves once the sweep's poller has stopped (at once when none runs). */
  stopped(sweepDir: string): Promise<void> {
    return this.followers.get(sweepDir)?.done ?? Promise.resolve();
  }

  /** Stops every poller (the server is shutting down); resolves once they have stopped. */
  async close(): Promise<void> {
    this.closed = true;
    const pollers = [...this.followers.values()];
    for (const follower of pollers) follower.wake();
    await Promise.all(pollers.map((f) => f.done));
  }

  private follower(sweepDir: string, until: number): Follower {
    const existing = this.followers.get(sweepDir);
    if (existing) {
      existing.until = Math.max(existing.until, until);
      return existing;
    }
    const follower: Follower = {
      clients: 0,
      until,
      running: new Set(),
      wake: () => {},
      done: Promise.resolve(),
    };
    this.followers.set(sweepDir, follower);
    follower.done = this.follow(sweepDir, follower);
    return follower;
  }

  private async follow(sweepDir: string, follower: Follower): Promise<void> {
    const poll = this.options.poll;
    const intervalMs = this.options.intervalMs ?? pollInterval();
    const retryMs = this.options.retryMs ?? RETRY_MS;
    try {
      // The first poll comes after the caller has registered as a client (this is async).
      await Promise.resolve();
      while (!this.closed && (follower.clients > 0 || this.now() < follower.until)) {
        try {
          const { open } = await pollSlurmSweep(sweepDir, follower.running, poll);
          follower.problem = undefined;
          if (open === 0) break;
        } catch (error) {
          follower.problem = error instanceof UserError
            ? error.message
            : `asking Slurm failed: ${error instanceof Error ? error.message : error}`;
        }
        await this.pause(follower, follower.problem === undefined ? intervalMs : retryMs);
      }
    } finally {
      this.followers.delete(sweepDir);
    }
  }

  /** Waits `ms`, or less when woken (last client gone, server closing). */
  private pause(follower: Follower, ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(finish, ms);
      follower.wake = finish;
      function finish() {
        clearTimeout(timer);
        follower.wake = () => {};
        done();
      }
    });
  }
}

/**
 * The view with how the sweep is followed: trials whose Slurm task was seen running show
 * as running (sweep.json knows them only as submitted).
 */
export function followedView(view: SweepView, follow: FollowState | undefined): SweepView {
  if (!follow) return view;
  const running = new Set(follow.running);
  const trials = view.trials.map((t) =>
    t.status === "submitted" && t.slurm_task && running.has(t.slurm_task)
      ? { ...t, status: "running" }
      : t
  );
  return { ...view, trials, follow };
}
