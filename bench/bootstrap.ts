/**
 * Bootstrap intervals at the full MAL scale's size (issue 10: well under a second per metric
 * for a 270k-user part), on synthetic per-user values shaped like a top-10 part's: five
 * hit-based metrics zero for most users, one dense (popularity percentile), some NaN users;
 * then rating metrics over 270k held-out rows, one per user (rmse and mae re-walking the rows
 * and from per-user sums, side by side; r2 likewise), and over 20 rows per user.
 *
 *   deno run -A bench/bootstrap.ts [--users 270000] [--resamples 1000]
 */
import { metricOfKind } from "../metrics/registry.ts";
import { seededRandom } from "../data/rng/seeded.ts";
import type { RatingMetric } from "../metrics/rating/rating_metric.ts";
import { bootstrapMeans } from "../runners/uncertainty/bootstrap.ts";
import { ratingIntervals, rowsByUser } from "../runners/uncertainty/rating_intervals.ts";

const arg = (name: string, fallback: number) =>
  Deno.args.includes(name) ? Number(Deno.args[Deno.args.indexOf(name) + 1]) : fallback;
const users = arg("--users", 270_000);
const resamples = arg("--resamples", 1000);
const random = seededRandom(1);

const hit = Float64Array.from({ length: users }, () => (random() < 0.3 ? 1 : 0));
const sparse = (scale: number) => hit.map((h) => (h ? scale * (0.2 + random()) : 0));
const columns = [sparse(0.1), sparse(1), sparse(0.5), hit, sparse(0.6)];
columns.push(Float64Array.from({ length: users }, () => 80 + 20 * random()));
for (const column of columns) for (let u = 0; u < users; u += 97) column[u] = NaN;

const time = (label: string, metrics: number, body: () => void) => {
  body(); // warm-up at full size: the figure below is the steady state
  const started = performance.now();
  body();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${seconds.toFixed(2)} s for ${metrics} metrics (${
      (seconds / metrics).toFixed(2)
    } s per metric)`,
  );
};

console.log(`${users} users, ${resamples} resamples; load ${Deno.loadavg().join(" ")}`);
time("ranking, 1 sparse metric", 1, () => {
  bootstrapMeans([columns[0]], { resamples, seed: 1 });
});
time("ranking, 5 sparse + 1 dense", 6, () => {
  bootstrapMeans(columns, { resamples, seed: 1 });
});
const predicted = Float64Array.from({ length: users }, () => 1 + 9 * random());
const truth = Float64Array.from({ length: users }, () => 1 + Math.floor(10 * random()));
const oneRowEach = rowsByUser(Int32Array.from({ length: users }, (_, u) => u));
const rating = ["rmse", "mae", "r2"].map((name) => metricOfKind(name, "rating"));
const walked = rating.map((metric): RatingMetric => ({ ...metric, fromSums: undefined }));
const intervals =
  (metrics: RatingMetric[], groups = oneRowEach, p = predicted, t = truth) => () => {
    ratingIntervals(p, t, groups, metrics, { resamples, seed: 1 });
  };
time("rating rows, rmse mae re-walking the rows", 2, intervals(walked.slice(0, 2)));
time("rating rows, rmse mae from per-user sums", 2, intervals(rating.slice(0, 2)));
time("rating rows, r2 re-walking the rows", 1, intervals(walked.slice(2)));
time("rating rows, r2 from per-user sums", 1, intervals(rating.slice(2)));
// A rating part of a random split: 20 rows per user on average.
const rows = users * 20;
const user = Int32Array.from({ length: rows }, () => Math.floor(random() * users));
const manyP = Float64Array.from({ length: rows }, () => 1 + 9 * random());
const manyT = Float64Array.from({ length: rows }, () => 1 + Math.floor(10 * random()));
const grouped = rowsByUser(user);
time(
  `${rows} rows of ${users} users, rmse mae from per-user sums`,
  2,
  intervals(rating.slice(0, 2), grouped, manyP, manyT),
);
