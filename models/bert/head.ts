/**
 * The regression head trained on frozen sentence embeddings: linear or a ReLU MLP, Adam,
 * minibatches in a seeded order, the epoch with the best dev RMSE kept (its weights restored)
 * and early stopping after `patience` epochs without improvement. Features and targets are
 * standardized with training statistics; RMSEs and predictions are in target units.
 */
import { type HeadConfig, type HeadConfigInput, HeadConfigSchema, parseOptions } from "./config.ts";
import { SeededRandom } from "./seeded_random.ts";
import { type TfBackendName, tfjsWithBackend } from "./tfjs_backend.ts";
import type { Scalar, Tensor2D } from "./heavy_packages.ts";
import { createHeadNetwork } from "./head_network.ts";

export interface EpochScores {
  /** 1-based */
  epoch: number;
  trainRmse: number;
  /** NaN when there are no dev rows */
  devRmse: number;
}

export interface HeadResult {
  predDev: Float64Array;
  predTest: Float64Array;
  /** the epoch whose weights produced the predictions (1-based) */
  bestEpoch: number;
  curve: EpochScores[];
  /** the tfjs backend that trained the head */
  backend: TfBackendName;
}

type Targets = ArrayLike<number>;

const PREDICT_CHUNK = 4096;

function checkInputs(
  name: string,
  x: Float32Array,
  dim: number,
  y: Targets | null,
): number {
  if (x.length % dim !== 0) {
    throw new Error(`${name}: ${x.length} values is not a multiple of dim ${dim}`);
  }
  const rows = x.length / dim;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new Error(`${name}: row ${Math.floor(i / dim)} has a non-finite embedding value`);
    }
  }
  if (y === null) return rows;
  const yName = name.replace(/^x/, "y");
  if (y.length !== rows) {
    throw new Error(`${yName}: ${y.length} targets for ${rows} rows of ${name}`);
  }
  for (let i = 0; i < y.length; i++) {
    if (typeof y[i] !== "number" || !Number.isFinite(y[i])) {
      throw new Error(`${yName}[${i}]: score ${String(y[i])} is not a finite number`);
    }
  }
  return rows;
}

/** Per-feature mean and 1/std of the training rows (1 where a feature is constant). */
function featureStandardizer(x: Float32Array, dim: number) {
  const rows = x.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d];
      mean[d] += v;
      sq[d] += v * v;
    }
  }
  const invStd = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    mean[d] /= rows;
    const std = Math.sqrt(Math.max(sq[d] / rows - mean[d] * mean[d], 0));
    invStd[d] = std > 1e-8 ? 1 / std : 1;
  }
  return (input: Float32Array): Float32Array => {
    const out = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const d = i % dim;
      out[i] = (input[i] - mean[d]) * invStd[d];
    }
    return out;
  };
}

function meanAndStd(y: Targets): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i];
  const mean = sum / y.length;
  let sq = 0;
  for (let i = 0; i < y.length; i++) sq += (y[i] - mean) ** 2;
  const std = Math.sqrt(sq / y.length);
  return { mean, std: std > 1e-12 ? std : 1 };
}

export function rmse(pred: ArrayLike<number>, y: Targets): number {
  if (y.length === 0) return NaN;
  let sq = 0;
  for (let i = 0; i < y.length; i++) sq += (pred[i] - y[i]) ** 2;
  return Math.sqrt(sq / y.length);
}

/**
 * Trains the head on `x` (rows of `dim` floats) against `yTrain`, selects the epoch by RMSE on
 * (`xDev`, `yDev`) and predicts dev and test with that epoch's weights.
 */
export async function trainRegressionHead(
  x: Float32Array,
  dim: number,
  yTrain: Targets,
  xDev: Float32Array,
  yDev: Targets,
  xTest: Float32Array,
  options: HeadConfigInput = {},
  warn?: (message: string) => void,
): Promise<HeadResult> {
  const config: HeadConfig = parseOptions(HeadConfigSchema, options, "head");
  if (!Number.isInteger(dim) || dim < 1) {
    throw new Error(`dim must be a positive integer, got ${dim}`);
  }
  const nTrain = checkInputs("xTrain", x, dim, yTrain);
  checkInputs("xDev", xDev, dim, yDev);
  checkInputs("xTest", xTest, dim, null);
  if (nTrain === 0) throw new Error("xTrain: no training rows");

  const { tf, backend } = await tfjsWithBackend(config.backend, warn);
  const standardize = featureStandardizer(x, dim);
  const target = meanAndStd(yTrain);
  const yStd = Float32Array.from(yTrain, (v) => (v - target.mean) / target.std);
  const sizes = [dim, ...(config.kind === "mlp" ? config.hidden : []), 1];

  const xTrain = standardize(x);
  const xTrainT = tf.tensor2d(xTrain, [nTrain, dim]);
  const xDevT = tf.tensor2d(standardize(xDev), [yDev.length, dim]);
  const network = createHeadNetwork(tf, sizes, config.seed);
  const optimizer = tf.train.adam(config.learning_rate);
  const predict = (input: Tensor2D): Float64Array => {
    const rows = input.shape[0];
    const out = new Float64Array(rows);
    for (let start = 0; start < rows; start += PREDICT_CHUNK) {
      const size = Math.min(PREDICT_CHUNK, rows - start);
      const values = tf.tidy(() =>
        network.forward(input.slice([start, 0], [size, dim])).dataSync()
      );
      for (let i = 0; i < size; i++) out[start + i] = values[i] * target.std + target.mean;
    }
    return out;
  };
  // Batches are copied in JS: tfjs-wasm's gather costs more than the whole forward pass.
  const xBatch = new Float32Array(config.batch_size * dim);
  const yBatch = new Float32Array(config.batch_size);
  const trainStep = (rows: Int32Array) => {
    for (let r = 0; r < rows.length; r++) {
      xBatch.set(xTrain.subarray(rows[r] * dim, (rows[r] + 1) * dim), r * dim);
      yBatch[r] = yStd[rows[r]];
    }
    tf.tidy(() => {
      const xb = tf.tensor2d(xBatch.subarray(0, rows.length * dim), [rows.length, dim]);
      const yb = tf.tensor2d(yBatch.subarray(0, rows.length), [rows.length, 1]);
      optimizer.minimize(
        () => {
          let loss: Scalar = tf.mean(tf.squaredDifference(network.forward(xb), yb));
          for (const w of config.l2 > 0 ? network.weights : []) {
            loss = loss.add(w.square().sum().mul(config.l2));
          }
          return loss;
        },
        false,
        network.variables,
      );
    });
  };

  try {
    const order = Int32Array.from({ length: nTrain }, (_, i) => i);
    const shuffler = new SeededRandom(config.seed, "head:batches");
    const curve: EpochScores[] = [];
    let best = { epoch: 0, devRmse: Infinity, weights: [] as Float32Array[] };
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      shuffler.shuffle(order);
      for (let start = 0; start < nTrain; start += config.batch_size) {
        trainStep(order.subarray(start, Math.min(start + config.batch_size, nTrain)));
      }
      const scores = {
        epoch,
        trainRmse: rmse(predict(xTrainT), yTrain),
        devRmse: rmse(predict(xDevT), yDev),
      };
      curve.push(scores);
      // Without dev rows the last epoch is kept.
      if (yDev.length === 0 || scores.devRmse < best.devRmse) {
        const weights = network.variables.map((v) => v.dataSync().slice() as Float32Array);
        best = { epoch, devRmse: scores.devRmse, weights };
      } else if (config.patience > 0 && epoch - best.epoch >= config.patience) break;
    }
    tf.tidy(() =>
      network.variables.forEach((v, i) => v.assign(tf.tensor(best.weights[i], v.shape)))
    );
    const xTestT = tf.tensor2d(standardize(xTest), [xTest.length / dim, dim]);
    const predTest = predict(xTestT);
    xTestT.dispose();
    return { predDev: predict(xDevT), predTest, bestEpoch: best.epoch, curve, backend };
  } finally {
    optimizer.dispose();
    tf.dispose([xTrainT, xDevT, ...network.variables]);
  }
}
