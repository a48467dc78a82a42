/**
 * End to end: generated synopses whose score depends on a few words, a generated tiny BERT
 * built from them, frozen mean-pooled embeddings, and a trained head. The head must beat
 * predicting the training mean, which shows the embeddings carry the words' signal.
 */
import assert from "node:assert/strict";
import { loadEncoder } from "../models/bert/encoder.ts";
import { rmse, trainRegressionHead } from "../models/bert/head.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";

// Few word types: the generated embeddings are random, so a linear head can separate word
// identities only while there are fewer of them than embedding dimensions (32).
const NEUTRAL = "story girl boy school city robot ship village friend dragon".split(" ");
const GOOD = ["masterpiece", "brilliant", "moving"];
const BAD = ["boring", "dull", "messy"];

function synopses(count: number) {
  const rng = new SeededRandom(11, "signal-test");
  const pick = (words: string[]) => words[Math.floor(rng.next() * words.length)];
  const texts: string[] = [];
  const scores = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // a fixed length keeps mean pooling linear in the number of good and bad words
    const words = Array.from({ length: 10 }, () => pick(NEUTRAL));
    let balance = 0;
    for (let slot = 0; slot < 4; slot++) {
      const u = rng.next();
      const word = u < 1 / 3 ? pick(GOOD) : u < 2 / 3 ? pick(BAD) : pick(NEUTRAL);
      balance += u < 1 / 3 ? 1 : u < 2 / 3 ? -1 : 0;
      words.splice(Math.floor(rng.next() * words.length), 0, word);
    }
    texts.push(words.join(" ") + ".");
    scores[i] = 6.5 + 0.5 * balance + 0.15 * rng.normal();
  }
  return { texts, scores };
}

Deno.test("a head on frozen tiny-BERT embeddings beats predicting the mean", async () => {
  const { texts, scores } = synopses(160);
  const dir = await Deno.makeTempDir();
  try {
    await writeTinyBert(dir, { texts, seed: 5 });
    const encoder = await loadEncoder(dir, { pooling: "mean", max_length: 64, batch_size: 32 });
    const x = await encoder.embed(texts);
    await encoder.dispose();
    const H = encoder.hidden;
    const part = (from: number, to: number) => ({
      x: x.slice(from * H, to * H),
      y: scores.slice(from, to),
    });
    const [train, dev, test] = [part(0, 110), part(110, 135), part(135, 160)];
    const result = await trainRegressionHead(train.x, H, train.y, dev.x, dev.y, test.x, {
      kind: "linear",
      epochs: 60,
      batch_size: 16,
      learning_rate: 0.03,
      patience: 10,
    });
    const mean = train.y.reduce((a, b) => a + b, 0) / train.y.length;
    const baseline = rmse(new Float64Array(test.y.length).fill(mean), test.y);
    const headRmse = rmse(result.predTest, test.y);
    assert.ok(headRmse < 0.5 * baseline, `head RMSE ${headRmse} vs mean ${baseline}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
