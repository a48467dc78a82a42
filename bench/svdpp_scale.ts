/**
 * SVD++ fast trainer at the study's full scale on synthetic data: ~24 M ratings of 270 k
 * users on 25 k items (1..10 scale, skewed popularity), 80 factors. Reports the time of one
 * epoch (SGD and dev RMSE, to extrapolate to the study's 12), the process memory, and the
 * time to recommend the top 10 of the whole catalogue to the first N users (5,000 by default;
 * a comma-separated list times each; `all` is every user), their training items excluded.
 * `--threads N` sets the model's `threads` (workers; Hogwild SGD, exact scoring).
 *
 *   deno run -A bench/svdpp_scale.ts [--ratings 24000000] [--users 270000] [--items 25000]
 *     [--factors 80] [--epochs 1] [--precision float32|float64] [--threads 1]
 *     [--recommend-users 5000,all]
 */
import { seededRandom } from "../data/rng/seeded.ts";
import type { Ratings } from "../data/ratings.ts";
import { csrByUser } from "../data/ratings.ts";
import type { StepContext, TrainData } from "../models/model.ts";
import { svdpp } from "../models/svdpp/mod.ts";

function option(name: string, fallback: string): string {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Deno.args[at + 1] : fallback;
}

const nRatings = Number(option("ratings", "24000000"));
const nUsers = Number(option("users", "270000"));
const nItems = Number(option("items", "25000"));
const factors = Number(option("factors", "80"));
const epochs = Number(option("epochs", "1"));
const precision = option("precision", "float32") as "float32" | "float64";
const threads = Number(option("threads", "1"));
const recommendCounts = option("recommend-users", "5000").split(",");

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Rows grouped by user (as in the study's files); items skewed toward low indices. */
function synthesise(): Ratings {
  const random = seededRandom(7);
  const rank = 8;
  const userTaste = Float64Array.from({ length: nUsers * rank }, () => random() - 0.5);
  const itemTaste = Float64Array.from({ length: nItems * rank }, () => random() - 0.5);
  const user = new Int32Array(nRatings);
  const item = new Int32Array(nRatings);
  const rating = new Float32Array(nRatings);
  const perUser = nRatings / nUsers;
  let row = 0;
  for (let u = 0; u < nUsers && row < nRatings; u++) {
    // activity from an exponential with the right mean, the last user taking the rest
    const count = u === nUsers - 1
      ? nRatings - row
      : Math.min(nRatings - row, 1 + Math.floor(-Math.log(1 - random()) * (perUser - 1)));
    for (let c = 0; c < count; c++, row++) {
      const r = random();
      const i = Math.floor(nItems * r * r);
      let dot = 0;
      for (let x = 0; x < rank; x++) dot += userTaste[u * rank + x] * itemTaste[i * rank + x];
      user[row] = u;
      item[row] = i;
      rating[row] = Math.min(10, Math.max(1, Math.round(7.6 + 12 * dot + 1.2 * (random() - 0.5))));
    }
  }
  // dense ids in order of first appearance, as data/ratings.ts promises
  const userDense = new Int32Array(nUsers).fill(-1);
  const itemDense = new Int32Array(nItems).fill(-1);
  const userIds: number[] = [];
  const itemIds: number[] = [];
  for (let k = 0; k < row; k++) {
    if (userDense[user[k]] < 0) userDense[user[k]] = userIds.push(user[k]) - 1;
    if (itemDense[item[k]] < 0) itemDense[item[k]] = itemIds.push(item[k]) - 1;
    user[k] = userDense[user[k]];
    item[k] = itemDense[item[k]];
  }
  return {
    user: user.subarray(0, row),
    item: item.subarray(0, row),
    rating: rating.subarray(0, row),
    userIds: Int32Array.from(userIds),
    itemIds: Int32Array.from(itemIds),
  };
}

let started = performance.now();
const ratings = synthesise();
const n = ratings.user.length;
console.log(
  `synthesised ${n} ratings, ${ratings.userIds.length} users, ${ratings.itemIds.length} items ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
// every 100th row is a dev row, the rest train
const dev = Int32Array.from({ length: Math.floor(n / 100) }, (_, k) => k * 100 + 50);
const train = new Int32Array(n - dev.length);
for (let row = 0, t = 0; row < n; row++) if (row % 100 !== 50) train[t++] = row;
const data: TrainData = {
  ratings,
  train,
  dev,
  nUsers: ratings.userIds.length,
  nItems: ratings.itemIds.length,
  scale: [1, 10],
};
const ctx: StepContext = {
  seed: 42,
  rng: "seeded",
  progress() {},
  log: (message) => console.log(message),
};
const config = svdpp.config.parse({ factors, epochs, lr: 0.005, precision, threads });
started = performance.now();
const params = await svdpp.fit(config, data, ctx);
const seconds = (performance.now() - started) / 1000;
const memory = Deno.memoryUsage();
const paramBytes = Object.values(params).reduce(
  (sum, column) => sum + (ArrayBuffer.isView(column) ? column.byteLength : 0),
  0,
);
console.log(
  `fit (${precision}, ${factors} factors, ${epochs} epoch(s), ${threads} thread(s), ` +
    `dev rmse each epoch): ` +
    `${seconds.toFixed(1)} s; parameters ${megabytes(paramBytes)}; ` +
    `rss ${megabytes(memory.rss)}, heap ${megabytes(memory.heapUsed)}, ` +
    `external ${megabytes(memory.external)}`,
);

const seen = csrByUser(ratings.user, train, data.nUsers);
const excluded = {
  offsets: seen.offsets,
  values: Int32Array.from(seen.values, (row) => ratings.item[row]),
};
for (const count of recommendCounts) {
  const nRecommend = count === "all" ? data.nUsers : Math.min(Number(count), data.nUsers);
  const recommendUsers = Int32Array.from({ length: nRecommend }, (_, u) => u);
  started = performance.now();
  await svdpp.recommend!(config, params, data, {
    users: recommendUsers,
    k: 10,
    exclude: excluded,
    candidates: null,
  }, ctx);
  console.log(
    `recommend top 10 of ${data.nItems} items to ${recommendUsers.length} users ` +
      `(${threads} thread(s)): ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
