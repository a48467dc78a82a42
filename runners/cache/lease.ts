/**
 * Leases: a file that says "this process is using X", kept alive by a heartbeat and taken
 * over once it stops being renewed. Used for step locks and scratch folders.
 *
 * Safe on a cache shared by several hosts (a volume, a network file system): expiry is never
 * judged by comparing a time written by one host with another host's clock. The holder's
 * heartbeat bumps the file's mtime (a counter, not a time anyone compares); an observer
 * remembers the (token, mtime) it saw and when, on its OWN clock, and calls the lease expired
 * once that pair has not changed for the TTL. A holder on the same machine and PID namespace
 * whose process is gone is recognised at once (no TTL wait).
 */
import { join } from "node:path";
import { hostname } from "node:os";
import { sha256 } from "../fingerprint.ts";
import { heartbeat } from "./heartbeat.ts";

export interface LeaseTiming {
  /** an unrenewed lease is expired after this long (observer's clock) */
  ttlMs: number;
  /** how often the holder renews; well below ttlMs */
  renewMs: number;
}

/** Generous for network file systems, whose attribute caches can lag by seconds. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 60_000, renewMs: 10_000 };

/** Who holds a lease: enough to tell a dead local process, and to tell a person. */
export interface Holder {
  host: string;
  pid: number;
  /** /proc/sys/kernel/random/boot_id (Linux), null elsewhere */
  boot: string | null;
  /** /proc/self/ns/pid, e.g. "pid:[4026531836]" (Linux), null elsewhere */
  pidNamespace: string | null;
  /** the process's start time in clock ticks since boot, against pid reuse */
  processStart: string | null;
  /** the run (id or label) that took the lease, if known */
  run?: string;
  /** ISO time on the holder's clock: shown to people, never compared */
  since: string;
}

interface LeaseFile {
  token: string;
  holder: Holder;
}

function readOptional(path: string, read: (path: string) => string): string | null {
  try {
    return read(path).trim();
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (start time), read after the command name's ")". */
function processStartTime(pid: number | "self"): string | null {
  const stat = readOptional(`/proc/${pid}/stat`, Deno.readTextFileSync);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
}

let identity: Omit<Holder, "since" | "run"> | undefined;

/** This process, as a lease holder. */
export function localHolder(run?: string): Holder {
  identity ??= {
    host: hostname(),
    pid: Deno.pid,
    boot: readOptional("/proc/sys/kernel/random/boot_id", Deno.readTextFileSync),
    pidNamespace: readOptional("/proc/self/ns/pid", Deno.readLinkSync),
    processStart: processStartTime("self"),
  };
  return { ...identity, ...(run ? { run } : {}), since: new Date().toISOString() };
}

/**
 * Whether the holder is a process of this machine and PID namespace that no longer runs
 * (its pid is free, or reused by a process that started later). False when unsure.
 */
export function holderIsGone(holder: Holder): boolean {
  const self = localHolder();
  // A lock file of an older version ({pid, host}): its pid is judged on this host only.
  if (holder.boot === undefined && holder.host === self.host && holder.pid !== self.pid) {
    return processStartTime(holder.pid) === null && self.processStart !== null;
  }
  if (
    holder.host !== self.host || holder.boot === null || holder.boot !== self.boot ||
    holder.pidNamespace === null || holder.pidNamespace !== self.pidNamespace
  ) return false;
  if (holder.pid === self.pid) return holder.processStart !== self.processStart;
  const start = processStartTime(holder.pid);
  return start === null || (holder.processStart !== null && start !== holder.processStart);
}

function readOpenFile(file: Deno.FsFile): string {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  let text = "";
  for (let n; (n = file.readSync(buffer)) !== null && n > 0;) {
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  return text + decoder.decode();
}

/** O_EXCL create with `text`; false if the file exists. */
function createExclusive(path: string, text: string): boolean {
  try {
    using file = Deno.openSync(path, { write: true, createNew: true });
    file.writeSync(new TextEncoder().encode(text));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** One line for people: "host h pid 12 (run r) since 2026-11-30T11:00:00Z". */
export function describeHolder(holder: Holder | null): string {
  if (!holder) return "an unknown holder";
  const run = holder.run ? ` (run ${holder.run})` : "";
  return `host ${holder.host} pid ${holder.pid}${run}, held since ${holder.since} (its clock)`;
}

/** A lease this process holds; renewed by the heartbeat worker until released. */
export class Lease {
  private released = false;

  private constructor(readonly path: string, readonly token: string) {}

  /**
   * Creates the lease file if no one holds it (written whole, then hard-linked into place:
   * link fails if the name exists, also on NFS). Null when it is held.
   */
  static tryCreate(path: string, timing: LeaseTiming, run?: string): Lease | null {
    const token = crypto.randomUUID();
    const body: LeaseFile = { token, holder: localHolder(run) };
    const temporary = `${path}.${token.slice(0, 8)}.new`;
    Deno.writeTextFileSync(temporary, JSON.stringify(body));
    try {
      Deno.linkSync(temporary, path);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return null;
      // No hard links here (some FUSE/SMB mounts): an exclusive create, then the content.
      if (!createExclusive(path, JSON.stringify(body))) return null;
    } finally {
      Deno.removeSync(temporary);
    }
    heartbeat.add(path, timing.renewMs);
    return new Lease(path, token);
  }

  /** Stops renewing and removes the file, unless someone took it over meanwhile. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heartbeat.remove(this.path);
    try {
      const current = JSON.parse(Deno.readTextFileSync(this.path)) as LeaseFile;
      if (current.token === this.token) Deno.removeSync(this.path);
    } catch {
      // already gone, or replaced by something unreadable that is not ours
    }
  }
}

/** What an observer knows about a lease file now. */
export type LeaseState =
  | { state: "absent" }
  | { state: "live"; holder: Holder | null }
  | { state: "expired"; holder: Holder | null; why: string; seen: string };

interface Observation {
  seen: string;
  /** observer's clock when `seen` was first observed */
  atMs: number;
}

/**
 * Judges leases by watching them renew. `memoFile` keeps observations across processes of
 * this host (its name carries the host and boot, so only this clock's readings are compared).
 */
export class LeaseObserver {
  private readonly seen = new Map<string, Observation>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly memoFile?: string,
  ) {
    if (memoFile) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(Deno.readTextFileSync(memoFile)))) {
          this.seen.set(k, v as Observation);
        }
      } catch {
        // no memo yet: observations start now
      }
    }
  }

  /** A memo file name for this host and boot, inside `dir`. */
  static memoFileIn(dir: string): string {
    const self = localHolder();
    return join(dir, `.observed-${sha256(`${self.host}\n${self.boot}`).slice(0, 12)}.json`);
  }

  judge(path: string): LeaseState {
    let text: string;
    let mtime: number | null;
    try {
      // Open, then stat the open file: on NFS an open revalidates cached attributes.
      using file = Deno.openSync(path, { read: true });
      mtime = file.statSync().mtime?.getTime() ?? null;
      text = readOpenFile(file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        this.seen.delete(path);
        return { state: "absent" };
      }
      throw error;
    }
    let holder: Holder | null = null;
    try {
      const parsed = JSON.parse(text);
      // An older version wrote {pid, host} alone.
      holder = parsed.holder ?? (typeof parsed.pid === "number" ? parsed : null);
    } catch {
      // not ours or damaged: judged by renewal alone
    }
    const seen = `${sha256(text)}:${mtime}`;
    if (holder && holderIsGone(holder)) {
      return { state: "expired", holder, why: "its process is gone", seen };
    }
    const before = this.seen.get(path);
    const now = this.now();
    if (!before || before.seen !== seen) {
      this.seen.set(path, { seen, atMs: now });
      return { state: "live", holder };
    }
    if (now - before.atMs >= this.ttlMs) {
      const quiet = ((now - before.atMs) / 1000).toFixed(1);
      return { state: "expired", holder, why: `not renewed for ${quiet} s`, seen };
    }
    return { state: "live", holder };
  }

  /** Writes the observations to the memo file (write, then rename). */
  save(): void {
    if (!this.memoFile) return;
    const temporary = `${this.memoFile}.${crypto.randomUUID().slice(0, 8)}.new`;
    Deno.writeTextFileSync(temporary, JSON.stringify(Object.fromEntries(this.seen)));
    Deno.renameSync(temporary, this.memoFile);
  }

  forget(path: string): void {
    this.seen.delete(path);
  }

  /** Drops observations of leases no longer present (so the memo does not grow). */
  retainOnly(paths: Set<string>): void {
    for (const path of this.seen.keys()) if (!paths.has(path)) this.seen.delete(path);
  }
}

/**
 * Removes an expired lease file, but only the very file that was judged (`seen`): it is
 * first renamed aside, which only one of several competing takers can do; a file that turns
 * out to be a fresh lease is linked back (link fails if a newer one took the name).
 * True when the judged file is gone.
 */
export function removeExpired(path: string, seen: string): boolean {
  const aside = `${path}.${crypto.randomUUID().slice(0, 8)}.expired`;
  try {
    Deno.renameSync(path, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
  try {
    using file = Deno.openSync(aside, { read: true });
    const mtime = file.statSync().mtime?.getTime() ?? null;
    const text = readOpenFile(file);
    if (`${sha256(text)}:${mtime}` !== seen) {
      try {
        Deno.linkSync(aside, path);
      } catch {
        // a newer lease took the name: the one we moved loses it (the lock is only an
        // optimisation; artifacts stay correct)
      }
      return false;
    }
    return true;
  } finally {
    Deno.removeSync(aside);
  }
}
