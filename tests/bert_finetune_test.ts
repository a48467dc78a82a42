/**
 * Fine-tuning a tiny BERT on a synthetic task whose score depends on the words: it learns
 * (dev RMSE well under the mean's), the top-N variant fed by onnxruntime's lower states
 * learns too, 1 and 2 gradient threads give the same bits, a killed run resumes from its last
 * epoch to exactly the uninterrupted result (with another thread count too),
 * and a diverging loss stops naming the epoch and suggesting a lower learning rate.
 */
import assert from "node:assert/strict";
import { loadBertWeights } from "../models/bert/bert_weights_file.ts";
import { type FinetuneConfigInput, FinetuneConfigSchema } from "../models/bert/config.ts";
import { DivergedError, finetuneBert, type FinetuneInput, rmse } from "../models/bert/finetune.ts";
import { computeLowerStates } from "../models/bert/lower_states.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";
import { loadTokenizer } from "../models/bert/tokenizer.ts";
import { caught } from "./helpers/assert.ts";
import { tempDir } from "./helpers/temp_dir.ts";

const GOOD = ["brilliant", "moving", "beautiful", "clever"];
const BAD = ["dull", "messy", "boring", "clumsy"];
const FILLER = ["robot", "school", "pilot", "city", "sea", "cat", "war", "friend", "night"];

function syntheticTask(count: number) {
  const random = new SeededRandom(7, "synthetic");
  const pick = (words: string[]) => words[Math.floor(random.next() * words.length)];
  const texts: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < count; i++) {
    const good = Math.floor(random.next() * 3);
    const bad = Math.floor(random.next() * 3);
    const words = Array.from({ length: 6 }, () => pick(FILLER));
    for (let g = 0; g < good; g++) {
      words.splice(Math.floor(random.next() * words.length), 0, pick(GOOD));
    }
    for (let b = 0; b < bad; b++) {
      words.splice(Math.floor(random.next() * words.length), 0, pick(BAD));
    }
    texts.push(words.join(" ") + ".");
    scores.push(7 + 0.6 * good - 0.6 * bad);
  }
  return { texts, scores };
}

const task = syntheticTask(160);
const modelDir = tempDir("bert-finetune-model-");
await writeTinyBert(modelDir, { texts: task.texts, seed: 3 });
const { weights } = await loadBertWeights(modelDir);
const tokens = (await loadTokenizer(modelDir)).tokenize(task.texts, 32);
const range = (from: number, to: number) =>
  Int32Array.from({ length: to - from }, (_, i) => from + i);
const split = { train: range(0, 120), dev: range(120, 140), test: range(140, 160) };
const scoresOf = (rows: Int32Array) => Float64Array.from(rows, (r) => task.scores[r]);

async function input(layers: "all" | number): Promise<FinetuneInput> {
  const frozen = layers === "all" ? null : weights.shape.layers - layers;
  const lowerStates = frozen === null ? null : await computeLowerStates(weights, frozen, tokens, {
    batchSize: 16,
    executionProvider: "cpu",
  });
  return {
    weights,
    tokens,
    lowerStates,
    ...split,
    yTrain: scoresOf(split.train),
    yDev: scoresOf(split.dev),
  };
}

const settings = (extra: FinetuneConfigInput) =>
  FinetuneConfigSchema.parse({ epochs: 3, batch_size: 8, learning_rate: 1e-3, ...extra });

const meanRmse = () => {
  const y = scoresOf(split.train);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  return rmse(new Float64Array(split.dev.length).fill(mean), scoresOf(split.dev));
};

Deno.test("full fine-tuning learns the task and keeps the best epoch", async () => {
  const result = await finetuneBert(await input("all"), {
    config: settings({ layers: "all" }),
    pooling: "mean",
  });
  assert.equal(result.curve.length, 3);
  const best = Math.min(...result.curve.map((e) => e.devRmse));
  assert.equal(result.curve[result.bestEpoch - 1].devRmse, best);
  assert.ok(Math.abs(rmse(result.predDev, scoresOf(split.dev)) - best) < 1e-9);
  assert.ok(best < 0.6 * meanRmse(), `dev RMSE ${best} vs the mean's ${meanRmse()}`);
  // the embeddings were trained too
  assert.notDeepEqual(result.weights.wordEmbeddings, weights.wordEmbeddings);
});

Deno.test("top-1-layer fine-tuning on onnxruntime's lower states learns the task", async () => {
  const result = await finetuneBert(await input(1), {
    config: settings({ layers: 1 }),
    pooling: "cls",
  });
  const best = result.curve[result.bestEpoch - 1].devRmse;
  assert.ok(best < 0.8 * meanRmse(), `dev RMSE ${best} vs the mean's ${meanRmse()}`);
  assert.deepEqual(result.weights.layers[0], weights.layers[0]);
  assert.notDeepEqual(result.weights.layers[1], weights.layers[1]);
  assert.deepEqual(result.weights.wordEmbeddings, weights.wordEmbeddings);
});

Deno.test("1 and 2 gradient threads give bit-identical fine-tuning", async () => {
  const data = await input("all");
  const run = (threads: number) =>
    finetuneBert(data, { config: settings({ layers: "all", epochs: 2, threads }), pooling: "cls" });
  const [one, two] = [await run(1), await run(2)];
  assert.deepEqual(two.curve, one.curve);
  assert.deepEqual(two.weights, one.weights);
  assert.deepEqual(two.output, one.output);
  assert.deepEqual(two.predTest, one.predTest);
  assert.notDeepEqual(one.weights.layers[1], weights.layers[1]);
});

Deno.test("a killed fine-tune resumes from its last epoch with the uninterrupted result", async () => {
  const data = await input(2);
  const config = settings({ layers: 2, epochs: 3 });
  const whole = await finetuneBert(data, {
    config,
    pooling: "mean",
    checkpointDir: tempDir("ckpt-a-"),
  });
  const dir = tempDir("ckpt-b-");
  const killed = await caught(() =>
    finetuneBert(data, {
      config,
      pooling: "mean",
      checkpointDir: dir,
      afterEpoch: (epoch) => {
        if (epoch === 2) throw new Error("killed after epoch 2");
      },
    })
  );
  assert.match(String(killed), /killed after epoch 2/);
  // the thread count changes the speed only: a run killed with 2 threads resumes with 1
  const resumed = await finetuneBert(data, {
    config: { ...config, threads: 1 },
    pooling: "mean",
    checkpointDir: dir,
  });
  assert.equal(resumed.resumedAfter, 2);
  assert.deepEqual(resumed.curve, whole.curve);
  assert.equal(resumed.bestEpoch, whole.bestEpoch);
  assert.deepEqual(resumed.predDev, whole.predDev);
  assert.deepEqual(resumed.predTest, whole.predTest);
  assert.deepEqual(resumed.weights, whole.weights);
  // a checkpoint made for other settings is not used
  const other = await finetuneBert(data, {
    config: { ...config, learning_rate: 2e-3 },
    pooling: "mean",
    checkpointDir: dir,
  });
  assert.equal(other.resumedAfter, 0);
});

Deno.test("a loss that turns NaN stops naming the epoch and suggesting a lower rate", async () => {
  const error = await caught(() =>
    finetuneBert(input_nan(), {
      config: settings({ layers: "all", learning_rate: 1e30, max_grad_norm: 0 }),
      pooling: "mean",
    })
  );
  assert.ok(error instanceof DivergedError, String(error));
  assert.match(error.message, /the loss became (NaN|Infinity) in epoch 1/);
  assert.match(error.message, /lower model\.finetune\.learning_rate \(now 1e\+30, try 1e\+29\)/);
});

function input_nan(): FinetuneInput {
  return {
    weights,
    tokens,
    lowerStates: null,
    ...split,
    yTrain: scoresOf(split.train),
    yDev: scoresOf(split.dev),
  };
}
