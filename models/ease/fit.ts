/**
 * EASE (Steck 2019) fitted in closed form: G = X^T X + lambda I over the kept items,
 * P = G^-1 (linalg: blocked Cholesky and the inverse from the factor), then
 * B_ij = -P_ij / P_jj with B_jj = 0. The weights are stored row-major, kept x kept.
 */
import type { StepContext, TrainData } from "../model.ts";
import type { Table } from "../../runners/table.ts";
import { interactions } from "../implicit/interactions.ts";
import { denseBytes, fillGram, inverseFlops, invertInPlace, openWorkspace } from "../linalg/mod.ts";
import type { EaseConfig } from "./config.ts";
import { mostPopular, restrictItems } from "./item_cap.ts";
import { scoringMemoryIn } from "./scoring.ts";

const MiB = 2 ** 20;

export async function fitEase(
  config: EaseConfig,
  data: TrainData,
  ctx: StepContext,
): Promise<Table> {
  const x = interactions(data, config.threshold);
  const kept = mostPopular(x.itemCounts, config.items);
  const m = kept.length;
  const sub = restrictItems(x.userOffsets, x.userItems, kept, data.nItems);
  const bytes = config.precision === "float32" ? 4 : 8;
  const dropped = x.userItems.length - sub.userItems.length;
  ctx.log(
    `ease: ${m} of ${data.nItems} items (items cap ${config.items ?? "none"}; ` +
      `${dropped} of ${x.userItems.length} interactions fall outside it), ${config.precision}; ` +
      `memory: dense inverse ${(denseBytes(m, config.precision) / MiB).toFixed(0)} MiB + ` +
      `weights ${(m * m * bytes / MiB).toFixed(0)} MiB`,
  );

  const ws = openWorkspace(m, config.precision, config.threads > 1);
  const { ld } = ws.layout;
  let started = performance.now();
  await fillGram(ws, sub, config.lambda, config.threads);
  ctx.log(`ease: X^T X + lambda I in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  const ran = await invertInPlace(ws, {
    threads: config.threads,
    onProgress: (done, total) => ctx.progress(done, total, "block steps"),
  });
  const seconds = (performance.now() - started) / 1000;
  ctx.log(
    `ease: inverse of ${m} x ${m} in ${seconds.toFixed(1)} s ` +
      `(${(inverseFlops(m) / seconds / 1e9).toFixed(1)} GFLOP/s, ${ran.kernel}, ` +
      `${ran.threads} thread${ran.threads > 1 ? "s" : ""})`,
  );

  // B overwrites P in its own memory, where recommend then scores (no second m x m array,
  // no copy when recommend runs in this process).
  started = performance.now();
  scaleColumnsInPlace(ws.view, ld, m);
  const own = scoringMemoryIn(ws.memory, m, config.precision);
  const weights = own?.weights ?? ws.view.slice(0, m * m);
  ctx.log(`ease: B = -P / diag(P) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { items: kept, weights };
}

/**
 * B_ij = -P_ij / P_jj, B_jj = 0, written m x m from element 0 over P (rows `ld` apart). Safe in
 * place: row i's element j goes to i·m + j, never past an element of P still to be read
 * (i·ld + j' with j' > j, or a later row).
 */
function scaleColumnsInPlace(view: Float32Array | Float64Array, ld: number, m: number): void {
  const diagonal = new Float64Array(m);
  for (let j = 0; j < m; j++) diagonal[j] = view[j * ld + j];
  for (let i = 0; i < m; i++) {
    const row = i * ld;
    const out = i * m;
    for (let j = 0; j < m; j++) view[out + j] = -view[row + j] / diagonal[j];
    view[out + i] = 0;
  }
}
