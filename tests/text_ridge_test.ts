/**
 * The text ridge's parts by hand: the closed-form ridge against a direct solve, TF-IDF of
 * three documents worked out on paper, the dev-best λ, and the spec's bad inputs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ridgePath } from "../models/text_ridge/ridge.ts";
import { chooseLambda, fitTextRidge } from "../models/text_ridge/fit.ts";
import { fitVocabulary, tfidfRows } from "../models/text_ridge/tfidf.ts";
import { tokenize, wordBags } from "../models/text_ridge/terms.ts";
import { multiplyVector, type SparseRows } from "../models/text_ridge/sparse_rows.ts";
import { modelTypes, registerModel } from "../models/registry.ts";
import { loadSpec } from "../runners/spec/load.ts";
import { parseOverride } from "../runners/spec/overrides.ts";
import { UserError } from "../runners/errors.ts";
import { planExperiment } from "../runners/plan.ts";
import { caught } from "./helpers/assert.ts";
import { gaussJordanInverse } from "./linear_helpers.ts";

/** A dense row-major matrix as sparse rows (zeros left out). */
function sparse(dense: number[][]): SparseRows {
  const offsets = new Int32Array(dense.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  dense.forEach((row, r) => {
    row.forEach((v, c) => {
      if (v !== 0) {
        columns.push(c);
        values.push(v);
      }
    });
    offsets[r + 1] = columns.length;
  });
  return {
    rows: dense.length,
    cols: dense[0].length,
    offsets,
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
  };
}

/**
 * The textbook solve: beta = (Z^T Z + diag(0, λ, ..., λ))^-1 Z^T y with Z = [1 X], the
 * intercept (beta_0) unpenalised.
 */
function directRidge(x: number[][], y: number[], lambda: number) {
  const p = x[0].length + 1;
  const z = x.map((row) => [1, ...row]);
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  z.forEach((row, r) => {
    for (let i = 0; i < p; i++) {
      b[i] += row[i] * y[r];
      for (let j = 0; j < p; j++) a[i * p + j] += row[i] * row[j];
    }
  });
  for (let i = 1; i < p; i++) a[i * p + i] += lambda;
  const inverse = gaussJordanInverse(a, p);
  const beta = Array.from({ length: p }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < p; j++) sum += inverse[i * p + j] * b[j];
    return sum;
  });
  return { intercept: beta[0], weights: beta.slice(1) };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `[${i}] ${actual[i]} vs ${expected[i]}`,
    );
  }
}

const TALL = [
  [0.5, 0, 1.2],
  [0, 0.8, 0.3],
  [1.1, 0.2, 0],
  [0, 0, 0.9],
  [0.4, 1.5, 0],
  [0.7, 0, 0.6],
  [0, 0.9, 1.4],
  [1.3, 0.1, 0.2],
];
const TALL_Y = [7.1, 6.4, 8.0, 6.9, 5.8, 7.6, 6.2, 8.3];

Deno.test("ridge: primal and dual both match the direct closed-form solve, intercept unpenalised", async () => {
  const lambdas = [0.01, 1, 30];
  for (const side of ["primal", "dual"] as const) {
    const path = await ridgePath(sparse(TALL), Float64Array.from(TALL_Y), lambdas, { side });
    assert.equal(path.side, side);
    assert.equal(path.order, side === "primal" ? 3 : 8);
    path.fits.forEach((fit, l) => {
      const want = directRidge(TALL, TALL_Y, lambdas[l]);
      assertClose(fit.weights, want.weights, 1e-9);
      assertClose([fit.intercept], [want.intercept], 1e-9);
    });
  }
  // Wider than tall: the dual is the smaller side and is picked.
  const wide = TALL.slice(0, 4).map((row, r) => [...row, ...TALL[r + 4], r % 2, 0.1 * r]);
  const y = Float64Array.from(TALL_Y.slice(0, 4));
  const path = await ridgePath(sparse(wide), y, [0.5]);
  assert.equal(path.side, "dual");
  const want = directRidge(wide, [...y], 0.5);
  assertClose(path.fits[0].weights, want.weights, 1e-9);
  assertClose([path.fits[0].intercept], [want.intercept], 1e-9);
});

Deno.test("tokenize: lower case, runs of two or more letters or digits", () => {
  assert.deepEqual(
    tokenize("The hero's Mecha-pilot, X, won 2 of 10 fights in Tōkyō!"),
    ["the", "hero", "mecha", "pilot", "won", "of", "10", "fights", "in", "tōkyō"],
  );
});

Deno.test("TF-IDF of three documents, by hand", () => {
  const bags = wordBags(["the cat sat", "The cat ate the fish", "a dog"]);
  const all = Int32Array.from([0, 1, 2]);
  const options = { min_df: 1, max_features: 100, sublinear_tf: false };
  const vocabulary = fitVocabulary(bags, all, options);
  // "a" is one character: not a word. Columns in alphabetical order.
  assert.deepEqual(vocabulary.names, ["ate", "cat", "dog", "fish", "sat", "the"]);
  // smooth idf with n = 3: df 2 -> ln(4/3) + 1, df 1 -> ln(4/2) + 1
  const i2 = Math.log(4 / 3) + 1;
  const i1 = Math.log(2) + 1;
  assertClose(vocabulary.idf, [i1, i2, i1, i1, i1, i2], 1e-12);
  const x = tfidfRows(bags, vocabulary, all, false);
  const dense = (r: number) => {
    const row = new Array(x.cols).fill(0);
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) row[x.columns[e]] = x.values[e];
    return row;
  };
  const unit = (v: number[]) => v.map((e) => e / Math.hypot(...v));
  assertClose(dense(0), unit([0, i2, 0, 0, i1, i2]), 1e-12);
  // "the" twice: tf 2
  assertClose(dense(1), unit([i1, i2, 0, i1, 0, 2 * i2]), 1e-12);
  assertClose(dense(2), [0, 0, 1, 0, 0, 0], 1e-12);
  // sublinear: tf 1 + ln 2 for the doubled "the"
  const sub = tfidfRows(bags, vocabulary, Int32Array.of(1), true);
  assertClose(
    sub.values,
    unit([i1, i2, i1, (1 + Math.log(2)) * i2]),
    1e-12,
  );
  // min_df 2 keeps the words of two documents; the third document's row is empty
  const common = fitVocabulary(bags, all, { ...options, min_df: 2 });
  assert.deepEqual(common.names, ["cat", "the"]);
  assert.equal(tfidfRows(bags, common, Int32Array.of(2), false).values.length, 0);
  // max_features 1: the highest document frequency, ties by term
  assert.deepEqual(fitVocabulary(bags, all, { ...options, max_features: 1 }).names, ["cat"]);
  // learnt on the training documents only: a test-only word gets no column
  const trainOnly = fitVocabulary(bags, Int32Array.of(0, 1), options);
  assert.ok(!trainOnly.names.includes("dog"));
  assert.equal(tfidfRows(bags, trainOnly, Int32Array.of(2), false).values.length, 0);
});

Deno.test("λ selection keeps the lowest dev RMSE, the first of equal ones", () => {
  const path = (dev: number[]) =>
    dev.map((d, i) => ({ lambda: 10 ** i, train_rmse: 0.1 * i, dev_rmse: d }));
  assert.equal(chooseLambda(path([0.9, 0.7, 0.8])), 1);
  assert.equal(chooseLambda(path([0.9, 0.6, 0.6, 0.7])), 1);
  assert.equal(chooseLambda(path([0.5, 0.7])), 0);
  assert.equal(chooseLambda(path([NaN])), 0);
});

Deno.test("the fitted text ridge is the dev-best λ of its path, whatever the list's order", async () => {
  const train = { x: sparse(TALL), y: Float64Array.from(TALL_Y) };
  // dev targets are the λ = 1 model's own predictions: λ = 1 fits dev exactly
  const devX = sparse([[0.6, 0.1, 0.8], [0, 1.1, 0.5], [0.9, 0, 0.1], [0.2, 0.3, 0.4]]);
  const atOne = directRidge(TALL, TALL_Y, 1);
  const dev = {
    x: devX,
    y: multiplyVector(devX, Float64Array.from(atOne.weights), atOne.intercept),
  };
  const lambdas = [0.001, 0.1, 1, 10, 1000];
  const result = await fitTextRidge(train, dev, lambdas);
  const rmse = (lambda: number) => {
    const want = directRidge(TALL, TALL_Y, lambda);
    const pred = multiplyVector(dev.x, Float64Array.from(want.weights), want.intercept);
    return Math.sqrt(pred.reduce((s, p, i) => s + (p - dev.y[i]) ** 2, 0) / pred.length);
  };
  const devRmse = lambdas.map(rmse);
  assertClose(result.path.map((p) => p.dev_rmse), devRmse, 1e-9);
  const best = lambdas[devRmse.indexOf(Math.min(...devRmse))];
  assert.equal(result.best.lambda, best);
  // neither the smallest nor the largest: the toy has an interior optimum
  assert.ok(best !== lambdas[0] && best !== lambdas.at(-1), `best λ ${best}`);
  const reversed = await fitTextRidge(train, dev, lambdas.toReversed());
  assert.equal(reversed.best.lambda, best);
  // several λ and no dev items: nothing to choose by
  const noDev = { x: sparse([[0, 0, 0]]), y: new Float64Array(0) };
  noDev.x.rows = 0;
  await assert.rejects(() => fitTextRidge(train, noDev, lambdas), /needs dev items/);
});

const spec = join(import.meta.dirname!, "..", "experiments", "text-ridge.yaml");

async function specError(...overrides: string[]): Promise<UserError> {
  const error = await caught(() => loadSpec(spec, overrides.map(parseOverride)));
  assert.ok(error instanceof UserError, String(error));
  return error;
}

Deno.test("text ridge spec: bad input is a clear error naming the field", async () => {
  const empty = await specError("model.lambdas=[]");
  assert.equal(empty.location.path, "model.lambdas");
  assert.match(empty.message, /at least one λ/);
  const negative = await specError("model.lambdas=[1, -0.5]");
  assert.equal(negative.location.path, "model.lambdas.1");
  assert.match(negative.message, /must be > 0/);
  assert.match((await specError("model.lambdas=[0]")).message, /must be > 0/);
  const unknown = await specError("model.features=[synopsis, plot]");
  assert.equal(unknown.location.path, "model.features.1");
  assert.match(unknown.message, /unknown feature column "plot"; known: synopsis, genres/);
  assert.match((await specError("model.features=[]")).message, /at least one feature/);
  assert.match((await specError("model.features=[genres, genres]")).message, /at most once/);
  assert.equal((await specError("model.min_df=0")).location.path, "model.min_df");
  assert.match((await specError("model.alpha=1")).message, /unknown field 'alpha'/);
  const { spec: loaded } = await loadSpec(spec);
  const perUser = await caught(() =>
    planExperiment({ ...loaded, split: { method: "per_user", test: 1, dev: 1, rng: "seeded" } })
  );
  assert.ok(perUser instanceof UserError);
  assert.match(perUser.message, /model text_ridge regresses anime scores: use split.method items/);
});

Deno.test("text_ridge is a registered model type that a user model cannot take", async () => {
  assert.ok(modelTypes().includes("text_ridge"));
  const { z } = await import("zod");
  assert.throws(
    () =>
      registerModel({
        type: "text_ridge",
        description: "",
        modules: [import.meta.url],
        config: z.object({}),
        fit: () => ({}),
        predict: () => new Float64Array(0),
      }),
    /already registered/,
  );
});

Deno.test("text_features: catalogue values found by anime id; a column the file lacks is a UserError", async () => {
  const { textFeaturesStep } = await import("../runners/steps/text_features.ts");
  const ctx = {
    seed: 1,
    rng: "seeded" as const,
    progress: () => {},
    log: () => {},
    filesDir: () => "",
    inputFiles: () => "",
  };
  // load rows: anime 30, 10, 20; clean items: 10, 20, 30 (another order)
  const load = {
    items: { anime_id: Int32Array.of(30, 10, 20) },
    item_genres: { row: Int32Array.of(0, 1, 2), genre: Int32Array.of(1, 0, 0) },
    genres: { name: ["Drama", "Comedy"] },
  };
  const clean = {
    clean_items: {
      anime_id: Int32Array.of(10, 20, 30),
      score: Float32Array.of(7, 8, 6),
      synopsis: ["a quiet drama", "a loud drama", "a loud comedy"],
    },
  };
  const split = {
    train: { row: Int32Array.of(0, 1, 2) },
    dev: { row: new Int32Array(0) },
    test: { row: new Int32Array(0) },
  };
  const inputs = {
    load: { tables: load, meta: {} },
    clean: { tables: clean, meta: {} },
    split: { tables: split, meta: {} },
  };
  const params = { features: ["genres" as const], min_df: 1, max_features: 10, sublinear_tf: true };
  const out = await textFeaturesStep.run(params, inputs, ctx);
  assert.deepEqual(out.tables.columns.name, ["genres:Comedy", "genres:Drama"]);
  // anime 10 and 20 are dramas (column 1), anime 30 the comedy (column 0)
  assert.deepEqual([...out.tables.entries.column as Int32Array], [1, 1, 0]);
  assert.deepEqual([...out.tables.entries.value as Float64Array], [1, 1, 1]);

  const tooRare = await caught(() => textFeaturesStep.run({ ...params, min_df: 4 }, inputs, ctx));
  assert.ok(tooRare instanceof UserError, String(tooRare));
  assert.equal(tooRare.location.path, "model.min_df");
  assert.match(tooRare.message, /no term of genres is in 4 or more of the 3 training items/);

  const error = await caught(() =>
    textFeaturesStep.run({ ...params, features: ["synopsis", "studios"] }, inputs, ctx)
  );
  assert.ok(error instanceof UserError, String(error));
  assert.equal(error.location.path, "model.features");
  assert.match(error.message, /no "Studios" column/);
});
