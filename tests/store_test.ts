/** The artifact store: round trips, atomic commits, and corrupt artifacts reported as missing. */
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
    meta: { counts: { rows: 3 } },
  };
}

Deno.test("an artifact round-trips: typed columns, strings, unequal lengths, meta", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  const artifact = sample();
  store.save(fp("a"), "test", artifact);
  assert.ok(store.has(fp("a")));
  const back = store.load(fp("a"))!;
  assert.deepEqual(back.meta, artifact.meta);
  assert.deepEqual(Array.from(back.tables.ratings.user as Int32Array), [0, 0, 1]);
  assert.ok(back.tables.ratings.rating instanceof Float32Array);
  assert.deepEqual(back.tables.ratings.note, artifact.tables.ratings.note);
  assert.deepEqual(Array.from(back.tables.params.pu as Float64Array), [0.1, -0.2, 0.3, 0.4]);
  assert.equal((back.tables.params.mu as Float64Array)[0], 7.5);
});

Deno.test("random numeric columns round-trip exactly", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 200 }),
      fc.array(fc.double(), { maxLength: 200 }),
      (ints, doubles) => {
        const key = fp(JSON.stringify([ints, doubles.map(String)]));
        const artifact: Artifact = {
          tables: { t: { i: Int32Array.from(ints) }, u: { d: Float64Array.from(doubles) } },
          meta: {},
        };
        store.save(key, "prop", artifact);
        const back = store.load(key)!;
        assert.deepEqual(Array.from(back.tables.t.i as Int32Array), ints);
        const d = back.tables.u.d as Float64Array;
        doubles.forEach((v, i) => assert.ok(Object.is(d[i], v)));
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("a corrupted artifact file is detected, reported, removed and then missing", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  store.save(fp("c"), "test", sample());
  const file = join(store.path(fp("c")), "ratings.arrow");
  const bytes = Deno.readFileSync(file);
  bytes[bytes.length - 20] ^= 0xff;
  Deno.writeFileSync(file, bytes);
  const reasons: string[] = [];
  assert.equal(store.load(fp("c"), (why) => reasons.push(why)), null);
  assert.match(reasons[0], /checksum mismatch in ratings\.arrow/);
  assert.equal(store.has(fp("c")), false);
});

Deno.test("a truncated manifest or a missing table file counts as corrupt", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  store.save(fp("m"), "test", sample());
  Deno.writeTextFileSync(join(store.path(fp("m")), "manifest.json"), '{"fingerprint": ');
  assert.equal(store.load(fp("m")), null);
  store.save(fp("n"), "test", sample());
  Deno.removeSync(join(store.path(fp("n")), "params.arrow"));
  assert.equal(store.load(fp("n")), null);
});

Deno.test("an interrupted save leaves nothing a later load trusts", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  // A step killed mid-write leaves only a scratch folder: the artifact is absent.
  const scratch = store.scratch();
  Deno.writeTextFileSync(join(scratch, "ratings.arrow"), "half");
  assert.equal(store.has(fp("k")), false);
  assert.equal(store.load(fp("k")), null);
});

Deno.test("when two runs commit the same artifact, the first is kept", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  store.save(fp("d"), "test", { tables: {}, meta: { writer: 1 } });
  store.save(fp("d"), "test", { tables: {}, meta: { writer: 2 } });
  assert.equal(store.load(fp("d"))!.meta.writer, 1);
});

Deno.test("files written by a step travel with its artifact", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  const scratch = store.scratch();
  Deno.mkdirSync(join(scratch, "files"));
  Deno.writeTextFileSync(join(scratch, "files", "data.csv"), "a,b\n1,2\n");
  store.save(fp("f"), "test", { tables: {}, meta: {} }, scratch);
  assert.equal(Deno.readTextFileSync(join(store.filesDir(fp("f")), "data.csv")), "a,b\n1,2\n");
  Deno.writeTextFileSync(join(store.filesDir(fp("f")), "data.csv"), "a,b\n");
  assert.equal(store.load(fp("f")), null, "a file whose size changed is corrupt");
});

Deno.test("scratch folders left by killed runs are pruned once old, fresh ones kept", () => {
  const store = new ArtifactStore(Deno.makeTempDirSync());
  const old = store.scratch();
  const fresh = store.scratch();
  const longAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  Deno.utimeSync(old, longAgo, longAgo);
  assert.equal(store.pruneScratch(), 1);
  assert.throws(() => Deno.statSync(old));
  assert.ok(Deno.statSync(fresh).isDirectory);
});

Deno.test("a run folder is staged then renamed; a killed run's old staging folder is pruned", () => {
  const results = Deno.makeTempDirSync();
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
});
