/**
 * The neighbourhood models against brute force on random small matrices (many exact ties):
 * the similarity before the cut is symmetric with a zero diagonal; the cut keeps the best k
 * of each column (ItemKNN, UserKNN) or row (RP3beta), ties to the lower index; the lists are
 * a full sort of X.S (S.X for UserKNN) over the candidates minus the excluded items.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { itemknn, rp3beta, userknn } from "../models/knn/mod.ts";
import { SparseScoreRanker } from "../models/implicit/recommend_by_scores.ts";
import type { ModelDefinition, RecommendRequest } from "../models/model.ts";
import { dataOfMatrix, denseWeights, excludeSeen, recordingContext } from "./knn_helpers.ts";

// up to 12 x 12: large enough that both the listed and the scanned paths of the kernels run
const matrix = fc.integer({ min: 1, max: 12 }).chain((nItems) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: nItems, maxLength: nItems }), {
    minLength: 1,
    maxLength: 12,
  })
);

const transpose = (x: number[][]) => x[0].map((_, i) => x.map((row) => row[i]));
const countOf = (x: number[][]) => x.map((row) => row.reduce((a, b) => a + b, 0));

/** Cosine with shrinkage between the rows of x, straight from the definition. */
function bruteCosine(x: number[][], shrink: number): number[][] {
  const norms = countOf(x).map(Math.sqrt);
  return x.map((a, i) =>
    x.map((b, j) => {
      if (i === j) return 0;
      const dot = a.reduce((sum, v, c) => sum + v * b[c], 0);
      return dot === 0 ? 0 : dot / (norms[i] * norms[j] + shrink);
    })
  );
}

/** RP3beta's W over items (before the cut), from the definition, users summed in order. */
function bruteRp3(x: number[][], alpha: number, beta: number): number[][] {
  const items = transpose(x);
  const pop = countOf(items);
  const n = countOf(x);
  return items.map((_, i) =>
    items.map((_, j) => {
      if (i === j) return 0;
      let sum = 0;
      let shared = false;
      x.forEach((row, u) => {
        if (row[i] && row[j]) {
          sum += Math.pow(n[u], -alpha);
          shared = true;
        }
      });
      return shared ? Math.pow(pop[i], -alpha) * sum * Math.pow(pop[j], -beta) : 0;
    })
  );
}

/** Keeps the best k nonzero entries of each row, ties to the lower column. */
function cutRows(s: number[][], k: number): number[][] {
  return s.map((row) => {
    const keep = new Set(
      row.map((v, j) => [v, j]).filter(([v]) => v !== 0)
        .sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map(([, j]) => j),
    );
    return row.map((v, j) => (keep.has(j) ? v : 0));
  });
}
const cutColumns = (s: number[][], k: number) => transpose(cutRows(transpose(s), k));

Deno.test("property: the cosine before the cut is symmetric, zero on the diagonal", async () => {
  await fc.assert(
    fc.asyncProperty(matrix, fc.integer({ min: 0, max: 3 }), async (x, shrink) => {
      const data = dataOfMatrix(x);
      const config = itemknn.config.parse({ k_neighbors: 100, shrink });
      const s = denseWeights(await itemknn.fit(config, data, recordingContext()), data.nItems);
      const u = denseWeights(await userknn.fit(config, data, recordingContext()), data.nUsers);
      for (const m of [s, u]) {
        m.forEach((row, i) => {
          assert.equal(row[i], 0);
          row.forEach((v, j) => assert.equal(v, m[j][i]));
        });
      }
    }),
  );
});

Deno.test("property: itemknn / userknn keep each column's best k, ties to the lower index", async () => {
  await fc.assert(
    fc.asyncProperty(
      matrix,
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 3 }),
      async (x, k, shrink) => {
        const data = dataOfMatrix(x);
        const config = itemknn.config.parse({ k_neighbors: k, shrink });
        const items = await itemknn.fit(config, data, recordingContext());
        assert.deepEqual(
          denseWeights(items, data.nItems),
          cutColumns(bruteCosine(transpose(x), shrink), k),
        );
        const users = await userknn.fit(config, data, recordingContext());
        assert.deepEqual(denseWeights(users, data.nUsers), cutColumns(bruteCosine(x, shrink), k));
      },
    ),
  );
});

Deno.test("property: rp3beta keeps each row's best k of W, ties to the lower index", async () => {
  await fc.assert(
    fc.asyncProperty(
      matrix,
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(0, 0.5, 1, 1.5),
      fc.constantFrom(0, 0.3, 0.5, 1),
      async (x, k, alpha, beta) => {
        const data = dataOfMatrix(x);
        const config = rp3beta.config.parse({ k_neighbors: k, alpha, beta });
        const w = denseWeights(await rp3beta.fit(config, data, recordingContext()), data.nItems);
        assert.deepEqual(w, cutRows(bruteRp3(x, alpha, beta), k));
      },
    ),
  );
});

/** Candidates minus excluded, sorted by (score desc, index asc), the first k, -1 padded. */
function bruteList(scores: number[], k: number, allowed: (i: number) => boolean): number[] {
  const list = scores.map((s, i) => [s, i]).filter(([, i]) => allowed(i))
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map(([, i]) => i);
  while (list.length < k) list.push(-1);
  return list;
}

Deno.test("property: the lists are a full sort of X.S (S.X for userknn) minus excluded items", async () => {
  await fc.assert(
    fc.asyncProperty(
      matrix,
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 9 }),
      fc.boolean(),
      fc.option(fc.array(fc.nat(11), { maxLength: 10 }), { nil: null }),
      fc.constantFrom("itemknn", "userknn", "rp3beta"),
      async (x, neighbours, k, excluded, rawCandidates, type) => {
        const model = { itemknn, userknn, rp3beta }[type] as ModelDefinition;
        const data = dataOfMatrix(x);
        const candidates = rawCandidates === null
          ? null
          : Int32Array.from(rawCandidates.filter((i) => i < data.nItems));
        const config = model.config.parse(
          type === "rp3beta" ? { k_neighbors: neighbours } : { k_neighbors: neighbours, shrink: 1 },
        );
        const params = await model.fit(config, data, recordingContext());
        const users = Int32Array.from(x.keys()).reverse();
        const request = { users, k, exclude: excluded ? excludeSeen(x) : null, candidates };
        const out = await model.recommend!(config, params, data, request, recordingContext());
        const s = denseWeights(params, type === "userknn" ? data.nUsers : data.nItems);
        users.forEach((u, r) => {
          // summed in the scorer's order: ascending i (or v), so the floats agree exactly
          const scores = new Array<number>(data.nItems).fill(0);
          if (type === "userknn") {
            x.forEach((row, v) => row.forEach((on, j) => on && (scores[j] += s[u][v])));
          } else {
            x[u].forEach((on, i) => on && s[i].forEach((w, j) => (scores[j] += w)));
          }
          const allowed = (i: number) =>
            (candidates === null || candidates.includes(i)) && !(excluded && x[u][i]);
          assert.deepEqual([...out.subarray(r * k, (r + 1) * k)], bruteList(scores, k, allowed));
        });
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("property: the sparse ranker (touched list or scan) equals a dense sort, any sign", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.tuple(fc.nat(11), fc.integer({ min: -2, max: 2 })), { maxLength: 12 }),
      fc.array(fc.nat(11), { maxLength: 6 }),
      fc.option(fc.array(fc.nat(11), { maxLength: 10 }), { nil: null }),
      fc.integer({ min: 1, max: 14 }),
      fc.boolean(),
      (nItems, entries, excludedItems, rawCandidates, k, scan) => {
        const scores = new Float64Array(nItems);
        const touched: number[] = [];
        for (const [i, s] of entries) {
          if (i >= nItems || touched.includes(i)) continue;
          touched.push(i); // a zero score listed as touched is allowed
          scores[i] = s;
        }
        const dense = [...scores];
        const exclude = Int32Array.from(new Set(excludedItems.filter((i) => i < nItems)));
        const candidates = rawCandidates === null
          ? null
          : Int32Array.from(rawCandidates.filter((i) => i < nItems));
        const request: RecommendRequest = {
          users: Int32Array.of(0),
          k,
          exclude: { offsets: Int32Array.of(0, exclude.length), values: exclude },
          candidates,
        };
        const out = new Int32Array(k);
        new SparseScoreRanker(nItems, request)
          .rank(0, scores, Int32Array.from(touched), scan ? -1 : touched.length, out);
        const allowed = (i: number) =>
          (candidates === null || candidates.includes(i)) && !exclude.includes(i);
        assert.deepEqual([...out], bruteList(dense, k, allowed));
        assert.ok(scores.every((s) => s === 0), "the scores are zeroed for the next user");
      },
    ),
  );
});
