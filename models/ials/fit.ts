/**
 * The iALS epoch loop: users solved with the items fixed, then items with the users fixed
 * (als_rows.ts), each half after the Gramian of the fixed side; after each epoch the
 * training loss (summed per item in index order, so equal for any thread count) and the dev
 * ndcg (dev_ndcg.ts) go to the learning curves. With threads > 1 the rows of each half are
 * solved by workers kept alive across epochs, on factors in shared memory.
 */
import type { Table } from "../../runners/table.ts";
import type { StepContext, TrainData } from "../model.ts";
import { type Interactions, interactions } from "../implicit/interactions.ts";
import { chunkSize } from "../svdpp/chunks.ts";
import { seededNormalSource } from "../svdpp/init.ts";
import { sharedInt32 } from "../svdpp/shared_memory.ts";
import { WorkerPool } from "../worker_pool.ts";
import { allocate, type Kind } from "./als_memory.ts";
import {
  alsScratch,
  type AlsSide,
  gramian,
  rowReg,
  type ScratchVectors,
  solveRows,
} from "./als_rows.ts";
import { type RowKernels, rowKernels } from "./wasm_rows.ts";
import { type IalsConfig, initStd } from "./config.ts";
import { devNdcg, devSample, type ListMaker, listsByThreads } from "./dev_ndcg.ts";
import { recommendInPool } from "./factor_recommend.ts";
import { claimedRows, pollProgress } from "./progress_polling.ts";
import type { AlsSetupTask, FactorWorkerTask } from "./worker_tasks.ts";

const CHUNKS_PER_THREAD = 64;
/** Rows per progress report on one thread. */
const INLINE_CHUNK = 2048;
const WORKER_URL = new URL("./worker.ts", import.meta.url);
/** The dev lists' progress is not the step's. */
const quiet = { progress() {} };

export async function fitIals(
  config: IalsConfig,
  data: TrainData,
  ctx: StepContext,
): Promise<Table> {
  const f = config.factors;
  const x = interactions(data, config.threshold);
  const { nUsers, nItems } = x;
  const threads = config.threads;
  const store = alsStore(x, f, threads);
  const { userFactors, itemFactors } = store;
  // Users first, then items, from one seeded stream.
  const normal = seededNormalSource(ctx.seed);
  const std = initStd(config);
  userFactors.set(normal(0, std, nUsers * f));
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
    offsets: store.userOffsets,
    indices: store.userItems,
    solved: userFactors,
    fixed: itemFactors,
    gram: store.userGram,
    fixedRows: nItems,
    loss: null,
  };
  const items: AlsSide = {
    ...common,
    offsets: store.itemOffsets,
    indices: store.itemUsers,
    solved: itemFactors,
    fixed: userFactors,
    gram: store.itemGram,
    fixedRows: nUsers,
    loss: store.itemLoss,
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
      `${threads} thread(s), ${store.kernels ? "WebAssembly SIMD" : "scalar"} row kernels; ` +
      `dev ndcg@${config.dev_k} on ${dev.request.users.length} users`,
  );
  const solver = threads > 1
    ? pooledSolver(users, items, store)
    : inlineSolver(users, items, store);
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
      const ndcg = await devNdcg(scores, dev, solver.lists);
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
  // copies: the factors may be views of a WebAssembly or shared memory
  const table: Table = { user_factors: userFactors.slice(), item_factors: itemFactors.slice() };
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
  /** the dev lists (undefined: on this thread) */
  lists?: ListMaker;
  close(): void;
}

function inlineSolver(users: AlsSide, items: AlsSide, store: AlsStore): HalfSolver {
  const scratch = alsScratch(users.factors, store.kernels, store.scratch[0] ?? undefined);
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

function pooledSolver(users: AlsSide, items: AlsSide, store: AlsStore): HalfSolver {
  const threads = store.scratch.length;
  const nUsers = users.offsets.length - 1;
  const nItems = items.offsets.length - 1;
  const counter = sharedInt32(1);
  const userChunk = chunkSize(nUsers, threads, CHUNKS_PER_THREAD);
  const itemChunk = chunkSize(nItems, threads, CHUNKS_PER_THREAD);
  const setups: AlsSetupTask[] = store.scratch.map((scratch) => ({
    kind: "als-setup",
    users,
    items,
    counter,
    userChunk,
    itemChunk,
    memory: store.memory,
    scratch,
  }));
  const pool = new WorkerPool<FactorWorkerTask>(WORKER_URL, threads, "ials");
  const every = (task: FactorWorkerTask) => Array.from({ length: threads }, () => task);
  let ready: Promise<unknown> | null = null;
  return {
    async solve(which, progress) {
      ready ??= pool.run("ials set-up", setups);
      await ready;
      const rows = which === "users" ? nUsers : nItems;
      const chunk = which === "users" ? userChunk : itemChunk;
      Atomics.store(counter, 0, 0);
      await pollProgress(
        pool.run(`ials ${which}`, every({ kind: "als-solve", side: which })),
        () => claimedRows(counter, chunk, rows),
        progress,
      );
      progress(rows);
    },
    lists: listsByThreads((model, request) =>
      recommendInPool(pool, "ials dev", model, request, quiet)
    ),
    close: () => pool.terminate(),
  };
}

/** The arrays of a fit: views of one kernel memory when the SIMD kernels run, else plain. */
interface AlsStore {
  userFactors: Float64Array;
  itemFactors: Float64Array;
  userOffsets: Int32Array;
  userItems: Int32Array;
  itemOffsets: Int32Array;
  itemUsers: Int32Array;
  userGram: Float64Array;
  itemGram: Float64Array;
  itemLoss: Float64Array;
  memory: WebAssembly.Memory | null;
  kernels: RowKernels | null;
  /** one per thread (null without kernels) */
  scratch: (ScratchVectors | null)[];
}

function alsStore(x: Interactions, f: number, threads: number): AlsStore {
  const { nUsers, nItems } = x;
  const nnz = x.userItems.length;
  const sizes: Record<string, [Kind, number]> = {
    userFactors: ["f64", nUsers * f],
    itemFactors: ["f64", nItems * f],
    userOffsets: ["i32", nUsers + 1],
    userItems: ["i32", nnz],
    itemOffsets: ["i32", nItems + 1],
    itemUsers: ["i32", nnz],
    userGram: ["f64", f * f],
    itemGram: ["f64", f * f],
    itemLoss: ["f64", nItems],
  };
  for (let w = 0; w < threads; w++) {
    for (const v of ["r", "p", "ap", "tmp"]) sizes[`${v}${w}`] = ["f64", f];
  }
  const wasm = f % 2 === 0 && f <= 128 ? allocate(sizes, threads > 1) : null;
  const kernels = wasm === null ? null : rowKernels(wasm.memory, f);
  let views: Record<string, Float64Array | Int32Array>;
  if (wasm !== null && kernels !== null) {
    views = wasm.views;
  } else {
    views = {};
    for (const [name, [kind, length]] of Object.entries(sizes)) {
      const bytes = length * (kind === "f64" ? 8 : 4);
      const buffer = threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
      views[name] = kind === "f64" ? new Float64Array(buffer) : new Int32Array(buffer);
    }
  }
  views.userOffsets.set(x.userOffsets);
  views.userItems.set(x.userItems);
  views.itemOffsets.set(x.itemOffsets);
  views.itemUsers.set(x.itemUsers);
  const withKernels = kernels !== null;
  return {
    userFactors: views.userFactors as Float64Array,
    itemFactors: views.itemFactors as Float64Array,
    userOffsets: views.userOffsets as Int32Array,
    userItems: views.userItems as Int32Array,
    itemOffsets: views.itemOffsets as Int32Array,
    itemUsers: views.itemUsers as Int32Array,
    userGram: views.userGram as Float64Array,
    itemGram: views.itemGram as Float64Array,
    itemLoss: views.itemLoss as Float64Array,
    memory: withKernels ? wasm!.memory : null,
    kernels,
    scratch: Array.from({ length: threads }, (_, w) =>
      withKernels
        ? {
          r: views[`r${w}`] as Float64Array,
          p: views[`p${w}`] as Float64Array,
          ap: views[`ap${w}`] as Float64Array,
          tmp: views[`tmp${w}`] as Float64Array,
        }
        : null),
  };
}
