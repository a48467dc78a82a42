/** Content hashes of raw files, and the size/mtime memo that may skip a re-hash but never replace one. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { resolve } from "node:path";
import { hashFile } from "../data/file_hash.ts";

const MEMO_FILE = "file-hashes.json";

async function webCryptoSha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets mtime an hour back, so the memo's settle window does not apply. */
async function age(path: string): Promise<void> {
  const hourAgo = new Date(Date.now() - 3600_000);
  await Deno.utime(path, hourAgo, hourAgo);
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "file_hash_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("hashFile: FIPS 180-2 test vectors", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/abc`, "abc");
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    assert.equal(
      await hashFile(`${dir}/abc`),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assert.equal(
      await hashFile(`${dir}/empty`),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});

Deno.test("hashFile: a file spanning several 4 MB reads equals a one-shot digest", async () => {
  await withTempDir(async (dir) => {
    const bytes = new Uint8Array((4 << 20) * 2 + 12345);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    await Deno.writeFile(`${dir}/big`, bytes);
    assert.equal(await hashFile(`${dir}/big`), await webCryptoSha256(bytes));
  });
});

Deno.test("hashFile: property, any content hashes like WebCrypto", async () => {
  await withTempDir(async (dir) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (content) => {
        const bytes = new Uint8Array(content);
        await Deno.writeFile(`${dir}/f`, bytes);
        assert.equal(await hashFile(`${dir}/f`), await webCryptoSha256(bytes));
      }),
      { numRuns: 50 },
    );
  });
});

Deno.test("hashFile: a missing file throws NotFound", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(() => hashFile(`${dir}/nope.csv`, `${dir}/memo`), Deno.errors.NotFound);
  });
});

const memoPath = (dir: string) => `${dir}/memo/${MEMO_FILE}`;

/**
 * Rewrites the memo as a later run would find it: hashed well after the file settled, with a
 * planted hash, so a returned "planted" proves the memo was used and anything else that the
 * file was re-read.
 */
async function plantMemo(dir: string): Promise<void> {
  const memo = JSON.parse(await Deno.readTextFile(memoPath(dir)));
  for (const entry of Object.values(memo.entries) as Array<Record<string, unknown>>) {
    entry.sha256 = "planted";
    entry.hashedAtMs = Date.now() + 10_000;
  }
  await Deno.writeTextFile(memoPath(dir), JSON.stringify(memo));
}

Deno.test("hashFile memo: an unchanged, settled file is answered from the memo", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/data.csv`;
    await Deno.writeTextFile(file, "a,b\n1,2\n");
    await age(file);
    const real = await hashFile(file, `${dir}/memo`);
    const memo = JSON.parse(await Deno.readTextFile(memoPath(dir)));
    assert.deepEqual(Object.keys(memo.entries), [resolve(file)]);
    assert.equal(Object.values<{ sha256: string }>(memo.entries)[0].sha256, real);
    await plantMemo(dir);
    assert.equal(await hashFile(file, `${dir}/memo`), "planted");
  });
});

Deno.test("hashFile memo: a changed size is re-hashed even with the old mtime", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/data.csv`;
    await Deno.writeTextFile(file, "a,b\n1,2\n");
    await age(file);
    const { mtime } = await Deno.stat(file);
    await hashFile(file, `${dir}/memo`);
    await plantMemo(dir);
    await Deno.writeTextFile(file, "a,b\n1,2\n3,4\n");
    await Deno.utime(file, mtime!, mtime!);
    assert.equal(await hashFile(file, `${dir}/memo`), await hashFile(file));
  });
});

Deno.test("hashFile memo: the same size with another mtime is re-hashed", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/data.csv`;
    await Deno.writeTextFile(file, "a,b\n1,2\n");
    await age(file);
    await hashFile(file, `${dir}/memo`);
    await plantMemo(dir);
    await Deno.writeTextFile(file, "a,b\n3,4\n");
    const dayAgo = new Date(Date.now() - 86400_000);
    await Deno.utime(file, dayAgo, dayAgo);
    assert.equal(await hashFile(file, `${dir}/memo`), await hashFile(file));
  });
});

Deno.test("hashFile memo: content changed with mtime restored is re-hashed", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/data.csv`;
    await Deno.writeTextFile(file, "a,b\n1,2\n");
    await age(file);
    const { mtime } = await Deno.stat(file);
    const first = await hashFile(file, `${dir}/memo`);
    await Deno.writeTextFile(file, "a,b\n5,6\n");
    await Deno.utime(file, mtime!, mtime!); // like `touch -r` or rsync -t: only ctime moves
    const second = await hashFile(file, `${dir}/memo`);
    assert.notEqual(second, first);
    assert.equal(second, await hashFile(file));
  });
});

Deno.test("hashFile memo: a file modified just before hashing is not trusted later", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/fresh.csv`;
    await Deno.writeTextFile(file, "x\n");
    const real = await hashFile(file, `${dir}/memo`);
    const memo = JSON.parse(await Deno.readTextFile(memoPath(dir)));
    for (const entry of Object.values<{ sha256: string }>(memo.entries)) entry.sha256 = "planted";
    await Deno.writeTextFile(memoPath(dir), JSON.stringify(memo));
    // mtime is within the settle window of the hashing: an edit in the same tick is possible.
    assert.equal(await hashFile(file, `${dir}/memo`), real);
  });
});

Deno.test("hashFile memo: a corrupt memo file is ignored and rewritten", async () => {
  await withTempDir(async (dir) => {
    const file = `${dir}/data.csv`;
    await Deno.writeTextFile(file, "abc");
    await Deno.mkdir(`${dir}/memo`);
    await Deno.writeTextFile(memoPath(dir), "{not json");
    const hash = await hashFile(file, `${dir}/memo`);
    assert.equal(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const memo = JSON.parse(await Deno.readTextFile(memoPath(dir)));
    assert.equal(Object.values(memo.entries).length, 1);
  });
});
