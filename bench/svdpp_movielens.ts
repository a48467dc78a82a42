/**
 * SVD++ / SVD on MovieLens latest-small, 5-fold cross-validation with Surprise's defaults
 * (20 factors, 20 epochs, lr 0.007, reg 0.02 for SVD++; SVD's own defaults), reporting fit
 * seconds per fold and mean test RMSE per model (Surprise's SVD++ reaches 0.8626 here).
 *
 *   deno run -A bench/svdpp_movielens.ts [ratings.csv] [--surprise-folds N]
 *
 * The exact "surprise" variant is quadratic in a user's ratings: it runs on
 * `--surprise-folds` folds only (default 1; 0 skips it).
 */
import type { Ratings } from "../data/ratings.ts";
import { seededRandom, shuffleRange } from "../data/rng/seeded.ts";
import type { ModelDefinition, StepContext, TrainData } from "../models/model.ts";
import { svd, svdpp } from "../models/svdpp/mod.ts";

const DEFAULT_PATH = "/work/shared/data/ml-latest-small/ratings.csv";
const FOLDS = 5;
const SEED = 42;

function parseArgs(args: string[]) {
  let path = DEFAULT_PATH;
  let surpriseFolds = 1;
  for (let a = 0; a < args.length; a++) {
    if (args[a] === "--surprise-folds") surpriseFolds = Number(args[++a]);
    else path = args[a];
  }
  return { path, surpriseFolds };
}

/** userId,movieId,rating,timestamp with a header; ids made dense by first appearance. */
function parseMovieLens(text: string): Ratings {
  const lines = text.split("\n");
  const n = lines.length - 1 - (lines[lines.length - 1] === "" ? 1 : 0);
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const rating = new Float32Array(n);
  const userIndex = new Map<number, number>();
  const itemIndex = new Map<number, number>();
  const dense = (map: Map<number, number>, id: number) => {
    let at = map.get(id);
    if (at === undefined) map.set(id, at = map.size);
    return at;
  };
  for (let row = 0; row < n; row++) {
    const [u, i, r] = lines[row + 1].split(",");
    user[row] = dense(userIndex, Number(u));
    item[row] = dense(itemIndex, Number(i));
    rating[row] = Number(r);
  }
  return {
    user,
    item,
    rating,
    userIds: Int32Array.from(userIndex.keys()),
    itemIds: Int32Array.from(itemIndex.keys()),
  };
}

const quiet: StepContext = { seed: SEED, rng: "seeded", progress() {}, log() {} };

interface Outcome {
  seconds: number;
  rmse: number;
}

function runFold<C>(
  model: ModelDefinition<C>,
  config: C,
  data: TrainData,
  test: Int32Array,
): Outcome {
  const started = performance.now();
  const params = model.fit(config, data, quiet);
  const seconds = (performance.now() - started) / 1000;
  if (params instanceof Promise) throw new Error("bench expects a synchronous fit");
  const users = Int32Array.from(test, (row) => data.ratings.user[row]);
  const items = Int32Array.from(test, (row) => data.ratings.item[row]);
  const predicted = model.predict!(config, params, data, users, items);
  let sum = 0;
  for (let k = 0; k < test.length; k++) {
    const d = predicted[k] - data.ratings.rating[test[k]];
    sum += d * d;
  }
  return { seconds, rmse: Math.sqrt(sum / test.length) };
}

/** Surprise's KFold: test = a slice of the shuffled rows, train = the rest in that order. */
function fold(ratings: Ratings, order: Int32Array, index: number) {
  const n = order.length;
  const from = Math.floor((index * n) / FOLDS);
  const to = Math.floor(((index + 1) * n) / FOLDS);
  const train = new Int32Array(n - (to - from));
  train.set(order.subarray(0, from));
  train.set(order.subarray(to), from);
  const data: TrainData = {
    ratings,
    train,
    dev: new Int32Array(0),
    nUsers: ratings.userIds.length,
    nItems: ratings.itemIds.length,
    scale: [0.5, 5],
  };
  return { data, test: order.slice(from, to) };
}

function crossValidate<C>(
  name: string,
  model: ModelDefinition<C>,
  config: C,
  folds: number,
  ratings: Ratings,
  order: Int32Array,
): void {
  if (folds <= 0) return;
  const outcomes: Outcome[] = [];
  for (let index = 0; index < folds; index++) {
    const { data, test } = fold(ratings, order, index);
    outcomes.push(runFold(model, config, data, test));
  }
  const seconds = outcomes.map((o) => o.seconds.toFixed(2)).join(", ");
  const rmses = outcomes.map((o) => o.rmse.toFixed(4)).join(", ");
  const meanRmse = outcomes.reduce((s, o) => s + o.rmse, 0) / outcomes.length;
  console.log(
    `${name}: fit s per fold [${seconds}], test RMSE per fold [${rmses}], ` +
      `mean ${meanRmse.toFixed(4)}`,
  );
}

async function main() {
  const { path, surpriseFolds } = parseArgs(Deno.args);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    console.log(`skipped: ${path} is not readable`);
    return;
  }
  const ratings = parseMovieLens(text);
  const n = ratings.user.length;
  const order = Int32Array.from({ length: n }, (_, k) => k);
  shuffleRange(order, 0, n, seededRandom(SEED));
  console.log(`${n} ratings, ${ratings.userIds.length} users, ${ratings.itemIds.length} items`);
  console.log("(the first fold of each model includes JIT warm-up)");

  const cv = <C>(name: string, model: ModelDefinition<C>, config: C, folds = FOLDS) =>
    crossValidate(name, model, config, folds, ratings, order);
  cv("svdpp fast float32", svdpp, svdpp.config.parse({}));
  cv("svdpp fast float64", svdpp, svdpp.config.parse({ precision: "float64" }));
  cv("svd (Surprise defaults)", svd, svd.config.parse({}));
  cv("svdpp surprise", svdpp, svdpp.config.parse({ variant: "surprise" }), surpriseFolds);
}

await main();
