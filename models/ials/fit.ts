/**
 * The iALS epoch loop: users solved with the items fixed, then items with the users fixed
 * (als_rows.ts), each half after the Gramian of the fixed side; after each epoch the
 * training loss (summed per item in index order, so equal for any thread count) and the dev
 * ndcg (dev_ndcg.ts) go to the learning curves. With threads > 1 the rows of each half are
 * solved by workers kept alive across epochs, on factors in shared memory.
 */
import type { Table } from "../../runners/table.ts";
import type { StepContext, TrainData } from "../model.ts";
import { interactions } from "../implicit/interactions.ts";
import { chunkSize } from "../svdpp/chunks.ts";
import { seededNormalSource } from "../svdpp/init.ts";
import { shared, sharedFloat64, sharedInt32 } from "../svdpp/shared_memory.ts";
import { WorkerPool } from "../svdpp/worker_pool.ts";
import { alsScratch, type AlsSide, gramian, rowReg, solveRows } from "./als_rows.ts";
import { type IalsConfig, initStd } from "./config.ts";
import { devNdcg, devSample } from "./dev_ndcg.ts";
import { claimedRows, pollProgress } from "./progress_polling.ts";
import type { AlsSetupTask, FactorWorkerTask } from "./worker_tasks.ts";

const CHUNKS_PER_THREAD = 64;
/** Rows per progress report on one thread. */
const INLINE_CHUNK = 2048;
const WORKER_URL = new URL("./worker.ts", import.meta.url).href;

export async function fitIals(
  config: IalsConfig,
  data: TrainData,
  ctx: StepContext,
): Promise<Table> {
  const f = config.factors;
  const x = interactions(data, config.threshold);
  const { nUsers, nItems } = x;
  const threads = config.threads;
  const alloc = (n: number) => (threads > 1 ? sharedFloat64(n) : new Float64Array(n));
  const share = (a: Int32Array) => (threads > 1 ? shared(a) : a);
  // Users first, then items, from one seeded stream.
  const normal = seededNormalSource(ctx.seed);
  const std = initStd(config);
  const userFactors = alloc(nUsers * f);
  userFactors.set(normal(0, std, nUsers * f));
  const itemFactors = alloc(nItems * f);
  itemFactors.set(normal(0, std, nItems * f));
  const common = {
    factors: f,
    alpha: config.alpha,
    reg: config.reg,
    frequencyScaled: config.reg_scaling === "frequency",
    regExponent: config.reg_exponent,
    solver: config.solver === "cholesky" ? 0 : 1,
    cgSteps: config.cg_steps,
  };
  const users: AlsSide = {
    ...common,
    offsets: share(x.userOffsets),
    indices: share(x.userItems),
    solved: userFactors,
    fixed: itemFactors,
    gram: alloc(f * f),
    fixedRows: nItems,
    loss: null,
  };
  const items: AlsSide = {
    ...common,
    offsets: share(x.itemOffsets),
    indices: share(x.itemUsers),
    solved: itemFactors,
    fixed: userFactors,
    gram: alloc(f * f),
    fixedRows: nUsers,
    loss: alloc(nItems),
  };
  const curves = {
    train_loss: new Float64Array(config.epochs),
    [`dev_ndcg@${config.dev_k}`]: new Float64Array(config.epochs).fill(NaN),
  };
  const dev = devSample(data, config.dev_users, config.dev_k, ctx.seed);
  const scores = { factors: f, nItems, userFactors, itemFactors, itemBias: null };
  const rowsPerEpoch = nUsers + nItems;
  const total = config.epochs * rowsPerEpoch;
  ctx.log(
    `ials: ${x.userItems.length} interactions, ${nUsers} users x ${nItems} items, ${f} factors, ` +
      `${config.solver}${config.solver === "cg" ? ` (${config.cg_steps} steps)` : ""}, ` +
      `${threads} thread(s); dev ndcg@${config.dev_k} on ${dev.request.users.length} users`,
  );
  const solver = threads > 1 ? pooledSolver(users, items, threads) : inlineSolver(users, items, f);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const started = performance.now();
      const before = epoch * rowsPerEpoch;
      gramian(itemFactors, nItems, f, users.gram);
      await solver.solve("users", (done) => ctx.progress(before + done, total, "rows"));
      gramian(userFactors, nUsers, f, items.gram);
      await solver.solve("items", (done) => ctx.progress(before + nUsers + done, total, "rows"));
      const loss = trainLoss(users, items.loss!);
      curves.train_loss[epoch] = loss;
      if (!Number.isFinite(loss)) {
        throw new Error(`ials: the loss is ${loss} after epoch ${epoch + 1}; raise reg`);
      }
      const solvedAt = performance.now();
      const ndcg = devNdcg(scores, dev);
      curves[`dev_ndcg@${config.dev_k}`][epoch] = ndcg;
      ctx.log(
        `ials epoch ${epoch + 1}/${config.epochs}: loss ${
          loss.toPrecision(8)
        }, dev ndcg@${config.dev_k} ` +
          `${ndcg.toFixed(4)} (als ${((solvedAt - started) / 1000).toFixed(2)} s, dev ${
            ((performance.now() - solvedAt) / 1000).toFixed(2)
          } s)`,
      );
    }
  } finally {
    solver.close();
  }
  const table: Table = {
    user_factors: threads > 1 ? userFactors.slice() : userFactors,
    item_factors: threads > 1 ? itemFactors.slice() : itemFactors,
  };
  for (const [name, values] of Object.entries(curves)) table[`epoch_${name}`] = values;
  return table;
}

/** The item rows' loss terms (index order) plus the users' regularisation. */
function trainLoss(users: AlsSide, itemLoss: Float64Array): number {
  const f = users.factors;
  let loss = 0;
  for (let i = 0; i < itemLoss.length; i++) loss += itemLoss[i];
  const rows = users.offsets.length - 1;
  for (let u = 0; u < rows; u++) {
    let norm = 0;
    for (let k = u * f; k < u * f + f; k++) norm += users.solved[k] * users.solved[k];
    loss += rowReg(users, users.offsets[u + 1] - users.offsets[u]) * norm;
  }
  return loss;
}

interface HalfSolver {
  solve(side: "users" | "items", progress: (rows: number) => void): Promise<void>;
  close(): void;
}

function inlineSolver(users: AlsSide, items: AlsSide, f: number): HalfSolver {
  const scratch = alsScratch(f);
  return {
    solve(which, progress) {
      const side = which === "users" ? users : items;
      const rows = side.offsets.length - 1;
      for (let from = 0; from < rows; from += INLINE_CHUNK) {
        const to = Math.min(rows, from + INLINE_CHUNK);
        solveRows(side, scratch, from, to);
        progress(to);
      }
      return Promise.resolve();
    },
    close() {},
  };
}

function pooledSolver(users: AlsSide, items: AlsSide, threads: number): HalfSolver {
  const nUsers = users.offsets.length - 1;
  const nItems = items.offsets.length - 1;
  const setup: AlsSetupTask = {
    kind: "als-setup",
    users,
    items,
    counter: sharedInt32(1),
    userChunk: chunkSize(nUsers, threads, CHUNKS_PER_THREAD),
    itemChunk: chunkSize(nItems, threads, CHUNKS_PER_THREAD),
  };
  const pool = new WorkerPool<FactorWorkerTask>(threads, "ials", WORKER_URL);
  const every = (task: FactorWorkerTask) => Array.from({ length: threads }, () => task);
  let ready: Promise<unknown> | null = null;
  return {
    async solve(which, progress) {
      ready ??= pool.run("ials set-up", every(setup));
      await ready;
      const rows = which === "users" ? nUsers : nItems;
      const chunk = which === "users" ? setup.userChunk : setup.itemChunk;
      Atomics.store(setup.counter, 0, 0);
      await pollProgress(
        pool.run(`ials ${which}`, every({ kind: "als-solve", side: which })),
        () => claimedRows(setup.counter, chunk, rows),
        progress,
      );
      progress(rows);
    },
    close: () => pool.terminate(),
  };
}
