/**
 * Bootstrap intervals at the full MAL scale's size (issue 10: well under a second per metric
 * for a 270k-user part), on synthetic per-user values shaped like a top-10 part's: five
 * hit-based metrics zero for most users, one dense (popularity percentile), some NaN users;
 * then three rating metrics over 270k held-out rows.
 *
 *   deno run -A bench/bootstrap.ts [--users 270000] [--resamples 1000]
 */
import { metricOfKind } from "../metrics/registry.ts";
import { seededRandom } from "../data/rng/seeded.ts";
import {
  bootstrapMeans,
  bootstrapStatistics,
  EXPAND_SLACK,
  expandResample,
} from "../runners/uncertainty/bootstrap.ts";

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
const rating = ["rmse", "mae", "r2"].map((name) => metricOfKind(name, "rating"));
const pBuffer = new Float64Array(users + EXPAND_SLACK);
const tBuffer = new Float64Array(users + EXPAND_SLACK);
const p = pBuffer.subarray(0, users);
const t = tBuffer.subarray(0, users);
time("rating rows, rmse mae r2", 3, () => {
  bootstrapStatistics(users, rating.length, (counts, out) => {
    expandResample(counts, predicted, pBuffer);
    expandResample(counts, truth, tBuffer);
    for (let m = 0; m < rating.length; m++) out[m] = rating[m].compute(p, t);
  }, { resamples, seed: 1 });
});
