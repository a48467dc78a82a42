/**
 * Fine-tunes a BERT encoder (all of it, or its top N layers fed with cached lower states)
 * with a linear regression output on the pooled vector: standardized targets, mean squared
 * error, AdamW with linear schedule and clipping, batches in a seeded order per epoch, dev
 * RMSE after every epoch and the best epoch's weights kept. Each epoch is checkpointed when
 * a folder is given, and a run finding a checkpoint continues after its epoch.
 */
import { AdamW } from "./adamw.ts";
import type { FinetuneConfig } from "./config.ts";
import {
  type Checkpoint,
  type CheckpointState,
  type EpochRecord,
  loadCheckpoint,
  saveCheckpoint,
} from "./finetune_checkpoint.ts";
import type { Tensor, Tensor2D, Variable } from "./heavy_packages.ts";
import { SeededRandom } from "./seeded_random.ts";
import { DataParallelGradients } from "./data_parallel.ts";
import { type Shard, shardRows } from "./shard_gradients.ts";
import type { NamedTensor } from "./safetensors.ts";
import { type TfjsBert, type TokenBatch } from "./tfjs_bert.ts";
import { createFinetuneModel, type FinetuneModel } from "./finetune_model.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import type { TokenizedTexts } from "./tokenizer.ts";
import { tokenBatch } from "./token_batch.ts";
import { assignValues } from "./tfjs_variables.ts";

export interface FinetuneInput {
  weights: BertWeights;
  /** every text's token ids; train, dev and test index into them */
  tokens: TokenizedTexts;
  /** states entering the first trained layer, per token ([ids.length, hidden]); null: all */
  lowerStates: Float32Array | null;
  train: Int32Array;
  dev: Int32Array;
  test: Int32Array;
  yTrain: ArrayLike<number>;
  yDev: ArrayLike<number>;
}

export interface FinetuneRun {
  config: FinetuneConfig;
  pooling: "cls" | "mean";
  /** per-epoch checkpoints go here (and are resumed from); none when absent */
  checkpointDir?: string;
  progress?: (done: number, total: number, unit: string) => void;
  log?: (message: string) => void;
  /** called after each epoch's checkpoint (tests stand in a kill here) */
  afterEpoch?: (epoch: number) => void;
}

export interface FinetuneResult {
  predDev: Float64Array;
  predTest: Float64Array;
  bestEpoch: number;
  curve: EpochRecord[];
  /** the encoder at the best epoch */
  weights: BertWeights;
  /** the regression output at the best epoch: score = (pooled · w + b) * std + mean */
  output: { w: Float32Array; b: number; mean: number; std: number };
  backend: string;
  /** the epoch a checkpoint was resumed after (0: a fresh start) */
  resumedAfter: number;
  /** examples per second over the epochs trained in this call */
  examplesPerSecond: number;
}

/** Thrown when the loss stops being finite: names the epoch, suggests a lower rate. */
export class DivergedError extends Error {}

export function rmse(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  if (y.length === 0) return NaN;
  let sq = 0;
  for (let i = 0; i < y.length; i++) sq += (pred[i] - y[i]) ** 2;
  return Math.sqrt(sq / y.length);
}

function targetScale(y: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i];
  const mean = sum / y.length;
  let sq = 0;
  for (let i = 0; i < y.length; i++) sq += (y[i] - mean) ** 2;
  const std = Math.sqrt(sq / y.length);
  return { mean, std: std > 1e-12 ? std : 1 };
}

export async function finetuneBert(
  input: FinetuneInput,
  run: FinetuneRun,
): Promise<FinetuneResult> {
  const { config } = run;
  if (input.train.length === 0) throw new Error("fine-tuning needs training rows");
  const model = await createFinetuneModel(input.weights, config, input.lowerStates !== null);
  const { tf, bert } = model;
  const H = input.weights.shape.hidden;
  const scale = targetScale(input.yTrain);
  // standardized target by text index
  const yStd = new Float32Array(input.tokens.offsets.length - 1);
  input.train.forEach((text, j) => yStd[text] = (input.yTrain[j] - scale.mean) / scale.std);
  const stepsPerEpoch = Math.ceil(input.train.length / config.batch_size);
  const totalSteps = stepsPerEpoch * config.epochs;
  const optimizer = new AdamW(tf, model.variables, model.names, {
    learningRate: config.learning_rate,
    weightDecay: config.weight_decay,
    maxGradNorm: config.max_grad_norm,
    totalSteps,
    warmupSteps: Math.ceil(config.warmup_ratio * totalSteps),
  });
  // threads change the speed, not the result: a checkpoint resumes with any thread count
  const { threads: _threads, ...resultConfig } = config;
  const settings = JSON.stringify({
    config: resultConfig,
    pooling: run.pooling,
    train: input.train.length,
  });

  /** The batch's tokens and the states entering the trained layers (null: token ids). */
  const batchStates = (rows: ArrayLike<number>): Shard => {
    const tokens = tokenBatch(input.tokens, rows);
    const target = Float32Array.from(rows, (text) => yStd[text]);
    const states = input.lowerStates;
    if (!states) return { tokens, states: null, target };
    const padded = new Float32Array(tokens.batch * tokens.sequence * H);
    for (let b = 0; b < rows.length; b++) {
      const start = input.tokens.offsets[rows[b]];
      const end = input.tokens.offsets[rows[b] + 1];
      padded.set(states.subarray(start * H, end * H), b * tokens.sequence * H);
    }
    return { tokens, states: padded, target };
  };
  const batchInput = (rows: ArrayLike<number>): { tokens: TokenBatch; x: () => Tensor2D } => {
    const { tokens, states } = batchStates(rows);
    if (!states) return { tokens, x: () => bert.embed(tokens) };
    return { tokens, x: () => tf.tensor2d(states, [tokens.batch * tokens.sequence, H]) };
  };
  // data() rather than dataSync(): the webgpu backend can only read asynchronously
  const predict = async (rows: Int32Array): Promise<Float64Array> => {
    const out = new Float64Array(rows.length);
    for (let start = 0; start < rows.length; start += config.batch_size) {
      const chunk = rows.subarray(start, Math.min(start + config.batch_size, rows.length));
      const { tokens, x } = batchInput(chunk);
      const pred = tf.tidy(() => model.predict(x(), tokens, run.pooling));
      const values = await pred.data();
      pred.dispose();
      for (let i = 0; i < chunk.length; i++) out[start + i] = values[i] * scale.std + scale.mean;
    }
    return out;
  };
  const trainStep = async (rows: Int32Array): Promise<number> => {
    let longest = 0;
    for (const text of rows) {
      longest = Math.max(longest, input.tokens.offsets[text + 1] - input.tokens.offsets[text]);
    }
    const shards = shardRows(rows, longest).map(batchStates);
    const { loss, grads } = await parallel.lossAndGrads(shards, run.pooling);
    if (Number.isFinite(loss)) await optimizer.apply(grads);
    tf.dispose(grads);
    return loss;
  };

  const snapshot = async (prefix: string): Promise<Record<string, NamedTensor>> =>
    Object.fromEntries(
      await Promise.all(model.variables.map(async (v, i) => [
        prefix + model.names[i],
        { shape: v.shape, data: (await v.data()).slice() as Float32Array },
      ])),
    );
  const restoreParams = (read: (name: string) => Float32Array) =>
    model.variables.forEach((v, i) => assignValues(tf, v, read(`p:${model.names[i]}`)));

  let state: CheckpointState = {
    settings,
    epoch: 0,
    step: 0,
    curve: [],
    bestEpoch: 0,
    bestDevRmse: Infinity,
  };
  let best: Record<string, NamedTensor> = {};
  const resumed: Checkpoint | null = run.checkpointDir
    ? await loadCheckpoint(run.checkpointDir, settings)
    : null;
  if (resumed) {
    state = resumed.state;
    restoreParams(resumed.last);
    optimizer.restore(state.step, resumed.last);
    best = Object.fromEntries(
      [...resumed.best].map(([k, data]) => [k, { shape: [data.length], data }]),
    );
    run.log?.(`resuming after epoch ${state.epoch} (checkpoint in ${run.checkpointDir})`);
  }
  const resumedAfter = state.epoch;
  const examplesToDo = (config.epochs - state.epoch) * input.train.length;
  let examplesDone = 0;
  // created last before the try: its worker must be terminated in the finally
  const parallel = await DataParallelGradients.create(
    model,
    config,
    input.lowerStates !== null,
  ).catch((error) => {
    model.dispose();
    throw error;
  });
  const started = performance.now();
  try {
    for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
      const order = Int32Array.from(input.train);
      new SeededRandom(config.seed, `finetune:epoch:${epoch}`).shuffle(order);
      let lossSum = 0;
      for (let start = 0; start < order.length; start += config.batch_size) {
        const rows = order.subarray(start, Math.min(start + config.batch_size, order.length));
        const loss = await trainStep(rows);
        if (!Number.isFinite(loss)) {
          throw new DivergedError(
            `fine-tuning diverged: the loss became ${loss} in epoch ${epoch} (step ` +
              `${optimizer.step + 1}); lower model.finetune.learning_rate (now ` +
              `${config.learning_rate}, try ${Number((config.learning_rate / 10).toPrecision(3))})`,
          );
        }
        lossSum += loss * rows.length;
        examplesDone += rows.length;
        run.progress?.(
          examplesDone,
          examplesToDo,
          `examples, epoch ${epoch}/${config.epochs}, loss ${loss.toFixed(3)}`,
        );
      }
      const devRmse = rmse(await predict(input.dev), input.yDev);
      const trainRmse = Math.sqrt(lossSum / order.length) * scale.std;
      state = {
        ...state,
        epoch,
        step: optimizer.step,
        curve: [...state.curve, { epoch, trainRmse, devRmse }],
      };
      const improved = input.dev.length === 0 || devRmse < state.bestDevRmse;
      if (improved) {
        best = await snapshot("p:");
        state = { ...state, bestEpoch: epoch, bestDevRmse: input.dev.length ? devRmse : Infinity };
      }
      run.log?.(
        `epoch ${epoch}/${config.epochs}: train RMSE ${trainRmse.toFixed(4)}, dev RMSE ` +
          `${devRmse.toFixed(4)}${improved ? " (best so far)" : ""}`,
      );
      if (run.checkpointDir) {
        const last = { ...(await snapshot("p:")), ...(await optimizer.state()) };
        await saveCheckpoint(run.checkpointDir, state, last, improved ? best : null);
      }
      run.afterEpoch?.(epoch);
    }
    const seconds = (performance.now() - started) / 1000;
    restoreParams((name) => best[name].data);
    return {
      predDev: await predict(input.dev),
      predTest: await predict(input.test),
      bestEpoch: state.bestEpoch,
      curve: state.curve,
      weights: await bert.toWeights(),
      output: { ...(await model.output()), ...scale },
      backend: tf.getBackend(),
      resumedAfter,
      examplesPerSecond: examplesDone / Math.max(seconds, 1e-9),
    };
  } finally {
    parallel.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

export type { FinetuneModel, Tensor, TfjsBert, Variable };
