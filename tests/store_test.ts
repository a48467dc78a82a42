/**
 * The artifact store: round trips, atomic commits, every part of an artifact (tables, files,
 * metadata) verified, corrupt or half-copied artifacts replaced, and scratch folders pruned
 * only when the runner made them and their step is gone.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { ArtifactStore } from "../runners/cache/store.ts";
import { type Fingerprint, sha256 } from "../runners/fingerprint.ts";
import type { Artifact } from "../runners/table.ts";
import { writeRunFolder } from "../runners/results.ts";

const fp = (text: string) => sha256(text) as Fingerprint;

function sample(): Artifact {
  return {
    tables: {
      ratings: {
        user: Int32Array.from([0, 0, 1]),
        rating: Float32Array.from([7, 8.5, 10]),
        note: ["a,b", 'quote " and\nnewline', "ü"],
      },
      params: { pu: new Float64Array([0.1, -0.2, 0.3, 0.4]), mu: Float64Array.of(7.5) },
    },
    meta: { counts: { rows: 3 }, metrics: { test: { "ndcg@10": 0.25 } } },
  };
}

/** A store in a fresh folder, removed afterwards. */
async function withStore(test: (store: ArtifactStore, root: string) => Promise<void> | void) {
  const root = Deno.makeTempDirSync({ prefix: "store-" });
  try {
    await test(new ArtifactStore(root, { leaseTiming: { ttlMs: 200, renewMs: 40 } }), root);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

/** Saves an artifact that carries `files/data.csv`. */
async function saveWithFile(store: ArtifactStore, key: Fingerprint, csv: string) {
  const scratch = store.scratch();
  Deno.mkdirSync(join(scratch, "files", "nested"), { recursive: true });
  Deno.writeTextFileSync(join(scratch, "files", "data.csv"), csv);
  Deno.writeTextFileSync(join(scratch, "files", "nested", "model.bin"), "weights");
  await store.save(key, "test", { tables: {}, meta: {} }, scratch);
}

Deno.test("an artifact round-trips: typed columns, strings, unequal lengths, meta", async () => {
  await withStore(async (store) => {
    const artifact = sample();
    await store.save(fp("a"), "test", artifact);
    assert.ok(store.has(fp("a")));
    const back = (await store.load(fp("a")))!;
    assert.deepEqual(back.meta, artifact.meta);
    assert.deepEqual(store.loadMeta(fp("a")), artifact.meta);
    assert.deepEqual(Array.from(back.tables.ratings.user as Int32Array), [0, 0, 1]);
    assert.ok(back.tables.ratings.rating instanceof Float32Array);
    assert.deepEqual(back.tables.ratings.note, artifact.tables.ratings.note);
    assert.deepEqual(Array.from(back.tables.params.pu as Float64Array), [0.1, -0.2, 0.3, 0.4]);
    assert.equal((back.tables.params.mu as Float64Array)[0], 7.5);
  });
});

Deno.test("random numeric columns round-trip exactly", async () => {
  await withStore(async (store) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 200 }),
        fc.array(fc.double(), { maxLength: 200 }),
        async (ints, doubles) => {
          const key = fp(JSON.stringify([ints, doubles.map(String)]));
          const artifact: Artifact = {
            tables: { t: { i: Int32Array.from(ints) }, u: { d: Float64Array.from(doubles) } },
            meta: {},
          };
          await store.save(key, "prop", artifact);
          const back = (await store.load(key))!;
          assert.deepEqual(Array.from(back.tables.t.i as Int32Array), ints);
          const d = back.tables.u.d as Float64Array;
          doubles.forEach((v, i) => assert.ok(Object.is(d[i], v)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

Deno.test("a corrupted artifact file is detected, reported, removed and then missing", async () => {
  await withStore(async (store) => {
    await store.save(fp("c"), "test", sample());
    const file = join(store.path(fp("c")), "ratings.arrow");
    const bytes = Deno.readFileSync(file);
    bytes[bytes.length - 20] ^= 0xff;
    Deno.writeFileSync(file, bytes);
    const reasons: string[] = [];
    assert.equal(await store.load(fp("c"), (why) => reasons.push(why)), null);
    assert.match(reasons[0], /checksum mismatch in ratings\.arrow/);
    assert.equal(store.has(fp("c")), false);
  });
});

Deno.test("a truncated manifest or a missing table file counts as corrupt", async () => {
  await withStore(async (store) => {
    await store.save(fp("m"), "test", sample());
    Deno.writeTextFileSync(join(store.path(fp("m")), "manifest.json"), '{"fingerprint": ');
    assert.equal(await store.load(fp("m")), null);
    await store.save(fp("n"), "test", sample());
    Deno.removeSync(join(store.path(fp("n")), "params.arrow"));
    assert.equal(await store.load(fp("n")), null);
  });
});

Deno.test("edited metadata (e.g. a metric) fails the manifest checksum in load and loadMeta", async () => {
  await withStore(async (store) => {
    const edit = (key: Fingerprint) => {
      const file = join(store.path(key), "manifest.json");
      Deno.writeTextFileSync(file, Deno.readTextFileSync(file).replace("0.25", "0.99"));
    };
    await store.save(fp("e"), "evaluate", sample());
    edit(fp("e"));
    const reasons: string[] = [];
    assert.equal(await store.load(fp("e"), (why) => reasons.push(why)), null);
    assert.match(reasons[0], /manifest checksum mismatch/);
    await store.save(fp("e2"), "evaluate", sample());
    edit(fp("e2"));
    assert.equal(store.loadMeta(fp("e2")), null, "loadMeta verifies too");
    assert.equal(store.has(fp("e2")), false, "and removes the corrupt entry");
  });
});

Deno.test("--no-cache replaces an existing entry; without it the first is kept", async () => {
  await withStore(async (store) => {
    await store.save(fp("d"), "test", { tables: {}, meta: { writer: 1 } });
    await store.save(fp("d"), "test", { tables: {}, meta: { writer: 2 } });
    assert.equal((await store.load(fp("d")))!.meta.writer, 1);
    await store.save(fp("d"), "test", { tables: {}, meta: { writer: 3 } }, undefined, {
      replace: true,
    });
    assert.equal((await store.load(fp("d")))!.meta.writer, 3);
  });
});

Deno.test("an artifact folder without a manifest (half-copied cache) is replaced", async () => {
  await withStore(async (store) => {
    const dir = store.path(fp("h"));
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "ratings.arrow"), "half copied");
    const reasons: string[] = [];
    assert.equal(await store.load(fp("h"), (why) => reasons.push(why)), null);
    assert.match(reasons[0], /no manifest/);
    // Also when the folder reappears between load and save (or load was skipped: --no-cache).
    Deno.mkdirSync(dir, { recursive: true });
    Deno.writeTextFileSync(join(dir, "ratings.arrow"), "half copied");
    await store.save(fp("h"), "test", sample());
    assert.deepEqual((await store.load(fp("h")))!.meta, sample().meta);
  });
});

Deno.test("an interrupted save leaves nothing a later load trusts", async () => {
  await withStore(async (store) => {
    // A step killed mid-write leaves only a scratch folder: the artifact is absent.
    const scratch = store.scratch();
    Deno.writeTextFileSync(join(scratch, "ratings.arrow"), "half");
    assert.equal(store.has(fp("k")), false);
    assert.equal(await store.load(fp("k")), null);
    store.dropScratch(scratch);
  });
});

Deno.test("files a step wrote travel with its artifact, hashed: a same-size edit is caught", async () => {
  await withStore(async (store) => {
    await saveWithFile(store, fp("f"), "a,b\n1,2\n");
    const file = join(store.filesDir(fp("f")), "data.csv");
    assert.equal(Deno.readTextFileSync(file), "a,b\n1,2\n");
    assert.ok(await store.load(fp("f")));
    const nested = join(store.filesDir(fp("f")), "nested", "model.bin");
    assert.equal(Deno.readTextFileSync(nested), "weights", "folders of files too");
    assert.ok(await store.load(fp("f")), "loads again (hash remembered or recomputed)");
    Deno.writeTextFileSync(file, "a,b\n1,3\n");
    const reasons: string[] = [];
    assert.equal(await store.load(fp("f"), (why) => reasons.push(why)), null);
    assert.match(reasons[0], /checksum mismatch in data\.csv/);
    await saveWithFile(store, fp("x"), "a,b\n1,2\n");
    Deno.writeTextFileSync(join(store.filesDir(fp("x")), "extra.csv"), "");
    assert.equal(await store.load(fp("x")), null, "a file added to an artifact is corrupt");
    await saveWithFile(store, fp("g"), "a,b\n1,2\n");
    Deno.writeTextFileSync(join(store.filesDir(fp("g")), "data.csv"), "a,b\n");
    assert.equal(await store.load(fp("g")), null, "a file whose size changed is corrupt");
  });
});

Deno.test("scratch pruning touches only the runner's own folders, never a user's files", async () => {
  // `--cache-dir .`: the cache root is the user's folder, which may hold a day-old ./tmp.
  await withStore((store, root) => {
    const longAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    for (const path of [join(root, "tmp", "notes.txt"), join(root, "scratch", "mine.txt")]) {
      Deno.mkdirSync(join(path, ".."), { recursive: true });
      Deno.writeTextFileSync(path, "keep me");
      Deno.utimeSync(path, longAgo, longAgo);
    }
    Deno.mkdirSync(join(root, "scratch", "step-0123456789ab"));
    Deno.utimeSync(join(root, "scratch", "step-0123456789ab"), longAgo, longAgo);
    assert.equal(store.pruneScratch(), 0);
    assert.equal(store.pruneScratch(), 0);
    assert.equal(Deno.readTextFileSync(join(root, "tmp", "notes.txt")), "keep me");
    assert.equal(Deno.readTextFileSync(join(root, "scratch", "mine.txt")), "keep me");
    assert.ok(Deno.statSync(join(root, "scratch", "step-0123456789ab")).isDirectory);
  });
});

Deno.test("a run folder is staged then renamed; a killed run's old staging folder is pruned", () => {
  const results = Deno.makeTempDirSync();
  try {
    const parent = join(results, "demo");
    Deno.mkdirSync(parent);
    const stale = join(parent, ".20200101T000000Z-aaaaaa.partial");
    const fresh = join(parent, ".20990101T000000Z-bbbbbb.partial");
    Deno.mkdirSync(stale);
    Deno.mkdirSync(fresh);
    const longAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    Deno.utimeSync(stale, longAgo, longAgo);
    const dir = writeRunFolder(results, "demo", "20261129T000000Z-cccccc", { "a.txt": "x" });
    assert.equal(Deno.readTextFileSync(join(dir, "a.txt")), "x");
    assert.throws(() => Deno.statSync(stale));
    assert.ok(Deno.statSync(fresh).isDirectory, "a recent staging folder may be a live run's");
    assert.throws(
      () => writeRunFolder(results, "demo", "20261129T000000Z-cccccc", {}),
      /already exists/,
    );
  } finally {
    Deno.removeSync(results, { recursive: true });
  }
});
