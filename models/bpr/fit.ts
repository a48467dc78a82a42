/**
 * The BPR epoch loop: the epoch's triples (sgd.ts), on this thread or split between Hogwild
 * workers, then the mean BPR loss of the epoch's triples (measured before each step) and the
 * dev ndcg (ials/dev_ndcg.ts) into the learning curves.
 */
import { deriveSeed } from "../../data/rng/seeded.ts";
import type { Table } from "../../runners/table.ts";
import type { StepContext, TrainData } from "../model.ts";
import { devNdcg, devSample, type ListMaker, listsByThreads } from "../ials/dev_ndcg.ts";
import { recommendInPool } from "../ials/factor_recommend.ts";
import { pollProgress } from "../ials/progress_polling.ts";
import { interactions } from "../implicit/interactions.ts";
import { seededNormalSource } from "../svdpp/init.ts";
import { shared, sharedFloat64, sharedInt32 } from "../svdpp/shared_memory.ts";
import { WorkerPool } from "../worker_pool.ts";
import type { BprConfig } from "./config.ts";
import { bprSlices, type BprState, interactionUsers } from "./sgd.ts";
import type { BprWorkerTask } from "./worker.ts";

const WORKER_URL = new URL("./worker.ts", import.meta.url);

export async function fitBpr(config: BprConfig, data: TrainData, ctx: StepContext): Promise<Table> {
  const f = config.factors;
  const x = interactions(data, config.threshold);
  const { nUsers, nItems } = x;
  const { threads } = config;
  const alloc = (n: number) => (threads > 1 ? sharedFloat64(n) : new Float64Array(n));
  const share = (a: Int32Array) => (threads > 1 ? shared(a) : a);
  const normal = seededNormalSource(ctx.seed);
  const state: BprState = {
    factors: f,
    nItems,
    interactionUser: share(interactionUsers(x.userOffsets, x.userItems.length)),
    userOffsets: share(x.userOffsets),
    userItems: share(x.userItems),
    userFactors: alloc(nUsers * f),
    itemFactors: alloc(nItems * f),
    itemBias: alloc(nItems),
    lr: config.lr,
    reg: config.reg,
  };
  state.userFactors.set(normal(0, config.init_std, nUsers * f));
  state.itemFactors.set(normal(0, config.init_std, nItems * f));
  const samples = config.samples_per_epoch ?? x.userItems.length;
  const devName = `dev_ndcg@${config.dev_k}`;
  const curves = {
    train_bpr_loss: new Float64Array(config.epochs).fill(NaN),
    [devName]: new Float64Array(config.epochs).fill(NaN),
  };
  const dev = devSample(data, config.dev_users, config.dev_k, ctx.seed);
  const scores = {
    factors: f,
    nItems,
    userFactors: state.userFactors,
    itemFactors: state.itemFactors,
    itemBias: state.itemBias,
  };
  ctx.log(
    `bpr: ${x.userItems.length} interactions, ${nUsers} users x ${nItems} items, ${f} factors, ` +
      `${samples} triples per epoch, ${threads} thread(s)${
        threads > 1 ? " (Hogwild: not bit-reproducible)" : ""
      }; dev ndcg@${config.dev_k} on ${dev.request.users.length} users`,
  );
  const total = config.epochs * samples;
  const runner = threads > 1 ? pooledEpochs(state, threads) : inlineEpochs(state);
  try {
    if (x.userItems.length === 0) throw new Error("bpr: no training interactions");
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const started = performance.now();
      const seed = deriveSeed(ctx.seed, `bpr-epoch-${epoch}`);
      const [loss, used] = await runner.epoch(
        samples,
        seed,
        (done) => ctx.progress(epoch * samples + done, total, "triples"),
      );
      curves.train_bpr_loss[epoch] = used > 0 ? loss / used : NaN;
      if (!Number.isFinite(curves.train_bpr_loss[epoch]) && used > 0) {
        throw new Error(`bpr: SGD diverged in epoch ${epoch + 1}; lower lr`);
      }
      const trained = performance.now();
      curves[devName][epoch] = await devNdcg(scores, dev, runner.lists);
      ctx.log(
        `bpr epoch ${epoch + 1}/${config.epochs}: bpr loss ${
          curves.train_bpr_loss[epoch].toFixed(5)
        }, ${devName} ${curves[devName][epoch].toFixed(4)} (sgd ${
          ((trained - started) / 1000).toFixed(2)
        } s, dev ${((performance.now() - trained) / 1000).toFixed(2)} s)`,
      );
    }
  } finally {
    runner.close();
  }
  const copy = (a: Float64Array) => (threads > 1 ? a.slice() : a);
  const table: Table = {
    user_factors: copy(state.userFactors),
    item_factors: copy(state.itemFactors),
    item_bias: copy(state.itemBias),
  };
  for (const [name, values] of Object.entries(curves)) table[`epoch_${name}`] = values;
  return table;
}

interface EpochRunner {
  /** [Σ loss, triples used] */
  epoch(samples: number, seed: number, progress: (done: number) => void): Promise<number[]>;
  /** the dev lists (undefined: on this thread) */
  lists?: ListMaker;
  close(): void;
}

function inlineEpochs(state: BprState): EpochRunner {
  return {
    epoch(samples, seed, progress) {
      let done = 0;
      const result = bprSlices(state, samples, deriveSeed(seed, "thread-0"), (n) => {
        done += n;
        progress(done);
      });
      return Promise.resolve(result);
    },
    close() {},
  };
}

/**
 * Worker w runs its share of the epoch from seed "thread-w": with threads 1 the triples would
 * be those of the inline runner, but workers update shared parameters without locks.
 */
function pooledEpochs(state: BprState, threads: number): EpochRunner {
  const pool = new WorkerPool<BprWorkerTask>(WORKER_URL, threads, "bpr");
  const out = sharedFloat64(2 * threads);
  const done = sharedInt32(1);
  let ready: Promise<unknown> | null = null;
  return {
    async epoch(samples, seed, progress) {
      ready ??= pool.run("bpr set-up", Array(threads).fill({ kind: "bpr-setup", state }));
      await ready;
      Atomics.store(done, 0, 0);
      const tasks: BprWorkerTask[] = Array.from({ length: threads }, (_, w) => ({
        kind: "bpr-epoch",
        samples: Math.floor(samples / threads) + (w < samples % threads ? 1 : 0),
        seed: deriveSeed(seed, `thread-${w}`),
        out,
        slot: w,
        done,
      }));
      await pollProgress(pool.run("bpr epoch", tasks), () => Atomics.load(done, 0), progress);
      progress(samples);
      let loss = 0;
      let used = 0;
      for (let w = 0; w < threads; w++) {
        loss += out[2 * w];
        used += out[2 * w + 1];
      }
      return [loss, used];
    },
    lists: listsByThreads((model, request) =>
      recommendInPool(pool, "bpr dev", model, request, { progress() {} })
    ),
    close: () => pool.terminate(),
  };
}
