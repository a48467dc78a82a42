import assert from "node:assert/strict";
import { join } from "node:path";
import { loadEncoder } from "../models/bert/encoder.ts";
import { loadTokenizer } from "../models/bert/tokenizer.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";
import {
  type BertWeights,
  type Dense,
  generateBertWeights,
} from "../models/bert/tiny_bert_weights.ts";
import { caught } from "./helpers/assert.ts";

const TEXTS = [
  "A lonely robot finds a cat in the ruins of Tokyo.",
  "Pilots!",
  "The café owner's daughter becomes a pilot and fights giant robots over the sea.",
  "School life, friendship and baseball.",
  "A detective story.",
  "Two brothers search for the philosopher's stone after a failed ritual costs them dearly.",
  "Cats.",
];
const SEED = 3;

async function withModel(fn: (dir: string) => Promise<void>, quantized = false) {
  const dir = await Deno.makeTempDir();
  try {
    await writeTinyBert(dir, { texts: TEXTS, seed: SEED, quantized });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// --- a plain TypeScript BERT forward pass for one unpadded sequence -------------------------

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

function dense(x: Float64Array, rows: number, d: Dense): Float64Array {
  const out = new Float64Array(rows * d.outputs);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < d.outputs; o++) {
      let s = d.b[o];
      for (let i = 0; i < d.inputs; i++) s += x[r * d.inputs + i] * d.w[i * d.outputs + o];
      out[r * d.outputs + o] = s;
    }
  }
  return out;
}

function layerNorm(
  x: Float64Array,
  rows: number,
  h: number,
  g: Float32Array,
  b: Float32Array,
  eps: number,
) {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * h, (r + 1) * h);
    const mean = row.reduce((a, v) => a + v, 0) / h;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / h;
    for (let i = 0; i < h; i++) {
      out[r * h + i] = ((row[i] - mean) / Math.sqrt(variance + eps)) * g[i] + b[i];
    }
  }
  return out;
}

function referenceStates(w: BertWeights, ids: number[]): Float64Array {
  const { hidden: H, heads, layerNormEps: eps } = w.shape;
  const S = ids.length;
  const dh = H / heads;
  let x = new Float64Array(S * H);
  for (let t = 0; t < S; t++) {
    for (let i = 0; i < H; i++) {
      x[t * H + i] = w.wordEmbeddings[ids[t] * H + i] + w.positionEmbeddings[t * H + i] +
        w.typeEmbeddings[i];
    }
  }
  x = layerNorm(x, S, H, w.embeddingNorm.gamma, w.embeddingNorm.beta, eps);
  for (const l of w.layers) {
    const q = dense(x, S, l.query), k = dense(x, S, l.key), v = dense(x, S, l.value);
    const context = new Float64Array(S * H);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < S; i++) {
        const scores = new Float64Array(S);
        for (let j = 0; j < S; j++) {
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[i * H + h * dh + d] * k[j * H + h * dh + d];
          scores[j] = s / Math.sqrt(dh);
        }
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const total = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < S; j++) {
          for (let d = 0; d < dh; d++) {
            context[i * H + h * dh + d] += (e[j] / total) * v[j * H + h * dh + d];
          }
        }
      }
    }
    const attended = dense(context, S, l.attentionOut).map((a, i) => a + x[i]);
    const x1 = layerNorm(attended, S, H, l.attentionNorm.gamma, l.attentionNorm.beta, eps);
    const inner = dense(x1, S, l.intermediate).map((a) => 0.5 * a * (1 + erf(a / Math.SQRT2)));
    const out = dense(inner, S, l.output).map((a, i) => a + x1[i]);
    x = layerNorm(out, S, H, l.outputNorm.gamma, l.outputNorm.beta, eps);
  }
  return x;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

// --- tests ----------------------------------------------------------------------------------

Deno.test("the ONNX encoder matches a plain TypeScript BERT forward pass", async () => {
  await withModel(async (dir) => {
    const encoder = await loadEncoder(dir, { pooling: "mean", max_length: 16, batch_size: 3 });
    const cls = await loadEncoder(dir, { pooling: "cls", max_length: 16, batch_size: 3 });
    try {
      const config = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
      const H = config.hidden_size;
      assert.equal(encoder.hidden, H);
      const vocabSize = config.vocab_size;
      const weights = generateBertWeights({
        vocabSize,
        hidden: H,
        layers: config.num_hidden_layers,
        heads: config.num_attention_heads,
        intermediate: config.intermediate_size,
        maxPositions: config.max_position_embeddings,
        typeVocabSize: config.type_vocab_size,
        layerNormEps: config.layer_norm_eps,
      }, SEED);
      const tokens = (await loadTokenizer(dir)).tokenize(TEXTS, 16);
      const mean = await encoder.embed(TEXTS);
      const first = await cls.embed(TEXTS);
      TEXTS.forEach((_, t) => {
        const ids = [...tokens.ids.subarray(tokens.offsets[t], tokens.offsets[t + 1])];
        const states = referenceStates(weights, ids);
        const expectedMean = new Float64Array(H);
        for (let s = 0; s < ids.length; s++) {
          for (let i = 0; i < H; i++) expectedMean[i] += states[s * H + i] / ids.length;
        }
        assert.ok(
          maxAbsDiff(mean.subarray(t * H, (t + 1) * H), expectedMean) < 1e-4,
          `mean, text ${t}`,
        );
        assert.ok(
          maxAbsDiff(first.subarray(t * H, (t + 1) * H), states.subarray(0, H)) < 1e-4,
          `cls, text ${t}`,
        );
      });
    } finally {
      await encoder.dispose();
      await cls.dispose();
    }
  });
});

Deno.test("embeddings do not depend on batch size, padding or order", async () => {
  await withModel(async (dir) => {
    const one = await loadEncoder(dir, { max_length: 12, batch_size: 1 });
    const many = await loadEncoder(dir, { max_length: 12, batch_size: 5 });
    try {
      const alone = await one.embed(TEXTS);
      const batched = await many.embed(TEXTS);
      assert.ok(maxAbsDiff(alone, batched) < 1e-5);
      const reversed = await many.embed([...TEXTS].reverse());
      const H = many.hidden;
      const n = TEXTS.length;
      for (let t = 0; t < n; t++) {
        const r = n - 1 - t;
        assert.ok(
          maxAbsDiff(reversed.subarray(r * H, (r + 1) * H), batched.subarray(t * H, (t + 1) * H)) <
            1e-5,
        );
      }
    } finally {
      await one.dispose();
      await many.dispose();
    }
  });
});

Deno.test("the int8 model's embeddings stay close to fp32 ones", async () => {
  await withModel(async (dir) => {
    const fp32 = await loadEncoder(dir, { max_length: 32 });
    const int8 = await loadEncoder(dir, { max_length: 32, quantized: true });
    try {
      assert.match(int8.modelPath, /model_quantized\.onnx$/);
      const a = await fp32.embed(TEXTS);
      const b = await int8.embed(TEXTS);
      const H = fp32.hidden;
      for (let t = 0; t < TEXTS.length; t++) {
        let dot = 0, na = 0, nb = 0;
        for (let i = t * H; i < (t + 1) * H; i++) {
          dot += a[i] * b[i];
          na += a[i] * a[i];
          nb += b[i] * b[i];
        }
        assert.ok(dot / Math.sqrt(na * nb) > 0.99, `text ${t}`);
      }
    } finally {
      await fp32.dispose();
      await int8.dispose();
    }
  }, true);
});

Deno.test("progress is reported per batch, from 0 up to the total", async () => {
  await withModel(async (dir) => {
    const encoder = await loadEncoder(dir, { max_length: 8, batch_size: 3 });
    try {
      const seen: [number, number][] = [];
      await encoder.embed(TEXTS, (done, total) => seen.push([done, total]));
      assert.deepEqual(seen, [[0, 7], [3, 7], [6, 7], [7, 7]]);
    } finally {
      await encoder.dispose();
    }
  });
});

Deno.test("bad folders and options fail with the file or field named", async () => {
  await withModel(async (dir) => {
    const missing = await caught(() => loadEncoder(dir, { quantized: true }));
    assert.match(String(missing), /no ONNX model: expected .*onnx\/model_quantized\.onnx/);

    const tooLong = await caught(() => loadEncoder(dir, { max_length: 600 }));
    assert.match(String(tooLong), /encoder\.max_length 600 exceeds max_position_embeddings 512/);

    const unknownKey = await caught(() => loadEncoder(dir, { finetune: true } as never));
    assert.match(String(unknownKey), /encoder: Unrecognized key: "finetune"/);
    const pooling = await caught(() => loadEncoder(dir, { pooling: "max" } as never));
    assert.match(String(pooling), /encoder\.pooling/);

    // the execution provider reaches onnxruntime, which names what it lacks
    const provider = await caught(() => loadEncoder(dir, { execution_provider: "no-such-ep" }));
    assert.match(String(provider), /onnxruntime cannot load the model: .*no-such-ep/);
    const cpu = await loadEncoder(dir, { execution_provider: "cpu" });
    await cpu.dispose();

    const configPath = join(dir, "config.json");
    const config = JSON.parse(await Deno.readTextFile(configPath));
    await Deno.writeTextFile(configPath, JSON.stringify({ ...config, hidden_size: 48 }));
    const mismatch = await caught(() => loadEncoder(dir));
    assert.match(String(mismatch), /config\.json: hidden_size 48 does not match the model output/);

    await Deno.writeTextFile(configPath, JSON.stringify({ ...config, vocab_size: 10 }));
    const vocab = await caught(() => loadEncoder(dir));
    assert.match(String(vocab), /tokenizer has \d+ tokens but .*config\.json says vocab_size 10/);

    await Deno.writeTextFile(configPath, JSON.stringify({ ...config, hidden_size: "wide" }));
    const badField = await caught(() => loadEncoder(dir));
    assert.match(String(badField), /config\.json: hidden_size/);

    await Deno.remove(configPath);
    assert.match(String(await caught(() => loadEncoder(dir))), /config\.json is missing/);
    assert.match(String(await caught(() => loadEncoder(join(dir, "nope")))), /does not exist/);
  });
});

Deno.test("an empty synopsis is rejected with its index", async () => {
  await withModel(async (dir) => {
    const encoder = await loadEncoder(dir, { max_length: 8 });
    try {
      assert.match(
        String(await caught(() => encoder.embed(["fine", "  "]))),
        /texts\[1\]: empty synopsis/,
      );
      assert.match(
        String(await caught(() => encoder.embed([null as never]))),
        /texts\[0\]: expected a string/,
      );
    } finally {
      await encoder.dispose();
    }
  });
});

Deno.test("a corrupt model file is reported, not crashed on", async () => {
  await withModel(async (dir) => {
    await Deno.writeTextFile(join(dir, "onnx", "model.onnx"), "not a model");
    assert.match(
      String(await caught(() => loadEncoder(dir))),
      /model\.onnx: onnxruntime cannot load the model/,
    );
  });
});
