import { queuedTasks, showJob } from "./slurm_commands.ts";
import { type TaskEnd, taskEnd } from "./slurm_query.ts";

export interface FollowHooks {
  /** a task was seen running (once per task; a short one may end unseen) */
  started?(key: number): void;
  /** a task left the queue: how it ended, or null when Slurm no longer knows it */
  finished(key: number, end: TaskEnd | null): void;
  /** the counts, whenever they change */
  counts?(counts: { pending: number; running: number; finished: number }): void;
}

const ACTIVE_RUNNING = new Set(["RUNNING", "COMPLETING", "CONFIGURING", "SIGNALING"]);

/** Milliseconds between two squeue calls ($RECSYS_SLURM_POLL_MS, default 500). */
export function pollInterval(): number {
  const ms = Number(Deno.env.get("RECSYS_SLURM_POLL_MS"));
  return Number.isFinite(ms) && ms >= 50 ? ms : 500;
}

/**
 * Follows tasks by polling squeue (not `sbatch --wait`, which backs off to 32 s) until
 * every one has left the queue, then asks scontrol how each ended. `tasks` maps Slurm's
 * id of a task ("12_3", or "12" for a single job) to the caller's key. Resolves "detached"
 * when `stop` is aborted first.
 */
export async function followJob(
  jobId: string,
  tasks: Map<string, number>,
  hooks: FollowHooks,
  stop?: AbortSignal,
): Promise<"finished" | "detached"> {
  const open = new Map(tasks);
  const started = new Set<string>();
  let lastCounts = "";
  const pollMs = pollInterval();
  while (open.size) {
    if (stop?.aborted) return "detached";
    await pollOnce(jobId, open, started, hooks);
    const running = [...open.keys()].filter((id) => started.has(id)).length;
    const counts = { pending: open.size - running, running, finished: tasks.size - open.size };
    const text = JSON.stringify(counts);
    if (text !== lastCounts) {
      lastCounts = text;
      hooks.counts?.(counts);
    }
    if (open.size) await pause(pollMs, stop);
  }
  return "finished";
}

/**
 * One look at the queue: tasks seen running join `started` (hooks.started once), tasks
 * gone from it are asked of scontrol and leave `open` (hooks.finished).
 */
export async function pollOnce(
  jobId: string,
  open: Map<string, number>,
  started: Set<string>,
  hooks: FollowHooks,
): Promise<void> {
  const queue = new Map((await queuedTasks(jobId)).map((t) => [t.jobId, t]));
  for (const [id, key] of open) {
    const queued = queue.get(id);
    if (queued) {
      if (ACTIVE_RUNNING.has(queued.state) && !started.has(id)) {
        started.add(id);
        hooks.started?.(key);
      }
      continue;
    }
    // Gone from the queue: it ended (scontrol still holds it for MinJobAge).
    const record = (await showJob(id)).find((r) =>
      r.ArrayTaskId === undefined || `${r.ArrayJobId}_${r.ArrayTaskId}` === id
    );
    const end = record ? taskEnd(record) : null;
    if (record && !end) continue; // between squeue and scontrol: look again
    open.delete(id);
    hooks.finished(key, end);
  }
}

function pause(ms: number, stop?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    stop?.addEventListener("abort", finish, { once: true });
    function finish() {
      clearTimeout(timer);
      stop?.removeEventListener("abort", finish);
      done();
    }
  });
}
