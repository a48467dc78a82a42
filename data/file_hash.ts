/**
 * SHA-256 of a raw input file, streamed in 4 MB reads, with an optional memo so an unchanged
 * multi-gigabyte file is not re-read on every run.
 *
 * The memo only ever saves work: an entry is used when the file's size, mtime, ctime and inode
 * all still match it, and never for a file whose mtime or ctime is within MEMO_SETTLE_MS of its
 * hashing (file-system clocks tick coarsely, so an edit in the same tick would leave both
 * unchanged: git's "racily clean" problem).
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";

const READ_BYTES = 4 << 20;
const MEMO_FILE = "file-hashes.json";
const MEMO_SETTLE_MS = 2000;
const MEMO_VERSION = 1;

interface MemoEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number | null;
  ino: number | null;
  /** wall-clock time when hashing started */
  hashedAtMs: number;
  sha256: string;
}

interface Memo {
  version: number;
  entries: Record<string, MemoEntry>;
}

/** Hex SHA-256 of the file's content. Missing files throw Deno.errors.NotFound. */
export async function hashFile(path: string, memoDir?: string): Promise<string> {
  const absolute = resolve(path);
  if (memoDir === undefined) return await sha256OfFile(absolute);
  const memoPath = `${memoDir}/${MEMO_FILE}`;
  const before = await Deno.stat(absolute);
  const remembered = (await readMemo(memoPath)).entries[absolute];
  if (remembered !== undefined && memoStillValid(remembered, before)) return remembered.sha256;
  const hashedAtMs = Date.now();
  const sha256 = await sha256OfFile(absolute);
  const after = await Deno.stat(absolute);
  // A file that changed while being read is hashed, but not remembered.
  if (sameFileState(statKey(before), statKey(after))) {
    await rememberHash(memoDir, memoPath, absolute, { ...statKey(after), hashedAtMs, sha256 });
  }
  return sha256;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(READ_BYTES);
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
  }
  return hash.digest("hex");
}

type StatKey = Pick<MemoEntry, "size" | "mtimeMs" | "ctimeMs" | "ino">;

function statKey(info: Deno.FileInfo): StatKey {
  return {
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? NaN,
    ctimeMs: info.ctime?.getTime() ?? null,
    ino: info.ino ?? null,
  };
}

function sameFileState(a: StatKey, b: StatKey): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino;
}

function memoStillValid(entry: MemoEntry, info: Deno.FileInfo): boolean {
  const now = statKey(info);
  const settled = entry.hashedAtMs - MEMO_SETTLE_MS;
  return sameFileState(entry, now) && now.mtimeMs < settled && (now.ctimeMs ?? 0) < settled;
}

async function readMemo(memoPath: string): Promise<Memo> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(memoPath));
    if (parsed?.version === MEMO_VERSION && typeof parsed.entries === "object") return parsed;
  } catch {
    // A missing or unreadable memo only costs a re-hash.
  }
  return { version: MEMO_VERSION, entries: {} };
}

/** Re-reads the memo before writing so concurrent runs lose at most each other's entries. */
async function rememberHash(
  memoDir: string,
  memoPath: string,
  absolute: string,
  entry: MemoEntry,
): Promise<void> {
  await Deno.mkdir(memoDir, { recursive: true });
  const memo = await readMemo(memoPath);
  memo.entries[absolute] = entry;
  // Write then rename: a killed run never leaves a half-written memo.
  const temporary = `${memoPath}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, JSON.stringify(memo, null, 1));
  await Deno.rename(temporary, memoPath);
}
