import assert from "node:assert/strict";
import fc from "fast-check";
import type { RecommendRequest, TrainData } from "../models/model.ts";
import type { Table } from "../runners/table.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";
import { scalarBlockDots, wasmBlockDots } from "../models/svdpp/block_dots.ts";
import { seededNormalSource } from "../models/svdpp/init.ts";
import { TopK } from "../models/top_k.ts";
import { PythonIntSet } from "../data/rng/python_set.ts";
import { TIE_ORDERS } from "../models/recommender_fields.ts";
import { denseRatings, range, silentContext, trainData } from "./svdpp_helpers.ts";

/**
 * Top-k as the study's script did it: iterate the candidates (in dense order for `item`
 * ties; CPython's order of the set of their ids, minus the excluded ones, for the python
 * orders), predict each, sort stably by score, highest first.
 */
function bruteForce(
  // deno-lint-ignore no-explicit-any
  model: any,
  config: unknown,
  params: Table,
  data: TrainData,
  request: RecommendRequest,
): Int32Array {
  const candidates = request.candidates === null
    ? [...range(data.nItems)]
    : [...new Set(request.candidates)];
  const { itemIds } = data.ratings;
  const itemOfId = new Map(candidates.map((item) => [itemIds[item], item]));
  const candidateSet = PythonIntSet.from(candidates.map((item) => itemIds[item]));
  const out = new Int32Array(request.users.length * request.k).fill(-1);
  request.users.forEach((user, b) => {
    const excluded = new Set(
      request.exclude === null ? [] : request.exclude.values.slice(
        request.exclude.offsets[user],
        request.exclude.offsets[user + 1],
      ),
    );
    const seenIds = new Set([...excluded].map((item) => itemIds[item]));
    const ties = request.ties ?? "item";
    const items = ties === "item"
      ? [...candidates].sort((x, y) => x - y).filter((item) => !excluded.has(item))
      : Array.from(
        ties === "python_set"
          ? candidateSet.values().filter((id) => !seenIds.has(id))
          : candidateSet.difference(seenIds).values(),
        (id) => itemOfId.get(id)!,
      );
    const scores: Float64Array = model.predict(
      config,
      params,
      data,
      new Int32Array(items.length).fill(user),
      Int32Array.from(items),
    );
    // Array.prototype.sort is stable, as Python's list.sort
    const ranked = items.map((item, c) => ({ item, score: scores[c] }))
      .sort((a, b) => b.score - a.score)
      .slice(0, request.k);
    ranked.forEach((entry, r) => (out[b * request.k + r] = entry.item));
  });
  return out;
}

const scenario = fc.record({
  nUsers: fc.integer({ min: 1, max: 12 }),
  nItems: fc.integer({ min: 1, max: 15 }),
  rows: fc.array(
    fc.record({
      user: fc.nat(11),
      item: fc.nat(14),
      rating: fc.integer({ min: 1, max: 10 }),
      train: fc.boolean(),
    }),
    { minLength: 1, maxLength: 80 },
  ),
  top: fc.double({ min: 3, max: 10, noNaN: true }),
  k: fc.integer({ min: 0, max: 8 }),
  useCandidates: fc.boolean(),
  candidatePicks: fc.array(fc.nat(14), { maxLength: 20 }),
  excludePicks: fc.array(fc.tuple(fc.nat(11), fc.nat(14)), { maxLength: 30 }),
  seed: fc.nat(1000),
  ties: fc.constantFrom(...TIE_ORDERS),
  // raw ids: a stride of a power of two makes CPython's set probe past collisions
  idBase: fc.nat(5000),
  idStride: fc.constantFrom(1, 3, 8, 1024),
  // the biased models score in the kernel, an unbiased SVD in JavaScript
  model: fc.constantFrom(svdpp, svd),
  biased: fc.boolean(),
});

Deno.test("recommend equals the script's stable sort of the clipped predictions, any tie order", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const rows = s.rows.map((r) => ({ ...r, user: r.user % s.nUsers, item: r.item % s.nItems }));
      if (!rows.some((r) => r.train)) rows[0].train = true;
      const ratings = denseRatings(
        rows.map((r) => r.user),
        rows.map((r) => s.idBase + s.idStride * r.item),
        rows.map((r) => r.rating),
      );
      const trainRows = Int32Array.from(rows.flatMap((r, row) => (r.train ? [row] : [])));
      // a low top of the scale clips many predictions: ties must go by the tie order
      const data = trainData(ratings, trainRows, new Int32Array(0), [1, s.top]);
      // deno-lint-ignore no-explicit-any
      const model = s.model as any;
      const config = model.config.parse({
        factors: 3,
        epochs: 2,
        ...(model === svd ? { biased: s.biased } : {}),
      });
      const params: Table = model.fit(config, data, silentContext(s.seed));
      const nUsers = data.nUsers;
      const nItems = data.nItems;
      const perUser: number[][] = Array.from({ length: nUsers }, () => []);
      for (const [user, item] of s.excludePicks) {
        if (user < nUsers && item < nItems) perUser[user].push(item);
      }
      const offsets = new Int32Array(nUsers + 1);
      perUser.forEach((items, u) => (offsets[u + 1] = offsets[u] + items.length));
      const request: RecommendRequest = {
        users: range(nUsers).reverse(),
        k: s.k,
        exclude: { offsets, values: Int32Array.from(perUser.flat()) },
        candidates: s.useCandidates
          ? Int32Array.from(s.candidatePicks.filter((item) => item < nItems))
          : null,
        ties: s.ties,
      };
      const got = model.recommend(config, params, data, request, silentContext(0));
      assert.deepEqual(got, bruteForce(model, config, params, data, request));
    }),
    { numRuns: 300 },
  );
});

/** Two users on four items; user 0 rated items 0 and 1, user 1 rated items 1 and 2. */
function tinyData(): TrainData {
  const ratings = denseRatings([0, 0, 1, 1, 2], [0, 1, 1, 2, 3], [5, 3, 4, 2, 1]);
  // row 4 (user 2, item 3) is not training: user 2 and item 3 are unknown to the model
  return trainData(ratings, Int32Array.of(0, 1, 2, 3), new Int32Array(0), [1, 5]);
}

Deno.test("recommend leaves out excluded (seen) items and pads with -1", () => {
  const data = tinyData();
  for (const model of [svdpp, svd] as const) {
    const config = model.config.parse({ factors: 2, epochs: 3 });
    // deno-lint-ignore no-explicit-any
    const m = model as any;
    const params = m.fit(config, data, silentContext(3));
    const request: RecommendRequest = {
      users: Int32Array.of(0, 1, 2),
      k: 3,
      exclude: { offsets: Int32Array.of(0, 2, 4, 4), values: Int32Array.of(0, 1, 1, 2) },
      candidates: null,
    };
    const got: Int32Array = m.recommend(config, params, data, request, silentContext(0));
    assert.deepEqual([...got.slice(0, 3)].sort(), [-1, 2, 3].sort(), `${model.type} user 0`);
    assert.equal(got[2], -1, `${model.type}: padding comes last`);
    assert.deepEqual([...got.slice(3, 6)].sort(), [-1, 0, 3].sort(), `${model.type} user 1`);
    assert.equal(new Set(got.slice(6, 9)).size, 3, `${model.type}: unknown user gets 3 items`);
    const none = m.recommend(config, params, data, { ...request, candidates: Int32Array.of(0, 1) });
    assert.deepEqual([...none.slice(0, 3)], [-1, -1, -1], `${model.type}: all candidates seen`);
  }
});

Deno.test("recommend rejects users and candidates outside the data", () => {
  const data = tinyData();
  const config = svdpp.config.parse({ factors: 2, epochs: 1 });
  const params = svdpp.fit(config, data, silentContext(3)) as Table;
  const request = { users: Int32Array.of(7), k: 2, exclude: null, candidates: null };
  assert.throws(
    () => svdpp.recommend!(config, params, data, request, silentContext(0)),
    /users\[0\]/,
  );
  const bad = { ...request, users: Int32Array.of(0), candidates: Int32Array.of(9) };
  assert.throws(() => svdpp.recommend!(config, params, data, bad, silentContext(0)), /candidates/);
});

Deno.test("TopK keeps the best k, ties to the lower item, in any offer order", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.nat(50)), { maxLength: 40 }),
      fc.integer({ min: 0, max: 6 }),
      (offers, k) => {
        const unique = [...new Map(offers.map(([s, item]) => [item, s])).entries()];
        const top = new TopK(k);
        for (const [item, score] of unique) top.offer(score, item);
        const out = new Int32Array(k);
        top.writeTo(out, 0);
        const expected = unique.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)
          .map(([item]) => item);
        while (expected.length < k) expected.push(-1);
        assert.deepEqual([...out], expected);
      },
    ),
  );
});

Deno.test("the SIMD kernel's dots and scores equal the scalar loops bit for bit, any shape", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.tuple(fc.nat(13), fc.nat(13)),
      fc.array(fc.tuple(fc.nat(19), fc.nat(12)), { maxLength: 6 }),
      (factors, count, block, seed, [a, b], excluded) => {
        const values = seededNormalSource(seed)(
          0,
          1,
          (count + block) * factors + count + 2 * block,
        );
        const items = values.subarray(0, count * factors);
        const vectors = values.subarray(count * factors, (count + block) * factors);
        const bias = values.subarray((count + block) * factors, (count + block) * factors + count);
        const rest = values.subarray((count + block) * factors + count);
        const base = Float64Array.from({ length: block }, (_, u) => rest[u]);
        // floors around the scores' range, some -Infinity; a narrow scale so some clip
        const floors = Float64Array.from(
          { length: block },
          (_, u) => (u % 3 === 0 ? -Infinity : rest[block + u]),
        );
        const wasm = wasmBlockDots(items, bias, count, factors, 24);
        assert.ok(wasm !== null, "WebAssembly SIMD is available");
        const plain = scalarBlockDots(items, bias, count, factors);
        const fast = wasm.compute(vectors, block);
        const slow = plain.compute(vectors, block);
        const same = (what: string) => {
          for (let u = 0; u < block; u++) {
            for (let c = 0; c < count; c++) {
              const x = fast.dots[c * fast.stride + u];
              const y = slow.dots[c * slow.stride + u];
              assert.ok(Object.is(x, y), `${what} [${c}, ${u}]: ${x} vs ${y}`);
            }
          }
        };
        same("dots");
        for (const [u, c] of excluded) {
          if (u < block && c < count) {
            fast.dots[c * fast.stride + u] = NaN;
            slow.dots[c * slow.stride + u] = NaN;
          }
        }
        const [from, to] = [Math.min(a, b, count), Math.min(Math.max(a, b), count)];
        const fastList = new Int32Array(count);
        const slowList = new Int32Array(count);
        const n = wasm.scores(from, to, base, floors, -0.5, 0.8, fastList);
        assert.equal(n, plain.scores(from, to, base, floors, -0.5, 0.8, slowList));
        assert.deepEqual(fastList.subarray(0, n), slowList.subarray(0, n));
        same("scores");
      },
    ),
    { numRuns: 80 },
  );
});
