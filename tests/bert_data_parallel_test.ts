/**
 * Data-parallel fine-tuning gradients: a batch is cut into shards by its size only (an even
 * count of at most SHARD_TOKENS tokens each), and 1 and 2 threads give bit-identical loss
 * and gradients for a batch of 4 shards, the whole model and the embeddings included.
 */
import assert from "node:assert/strict";
import { FinetuneConfigSchema } from "../models/bert/config.ts";
import { DataParallelGradients } from "../models/bert/data_parallel.ts";
import { createFinetuneModel } from "../models/bert/finetune_model.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { SHARD_TOKENS, shardCount, shardRows } from "../models/bert/shard_gradients.ts";
import { bertShape, generateBertWeights } from "../models/bert/tiny_bert_weights.ts";

Deno.test("batches are cut into an even number of shards of bounded tokens", () => {
  assert.equal(shardCount(8, 128), 2);
  assert.equal(shardCount(16, 128), 2);
  assert.equal(shardCount(16, 256), 4);
  assert.equal(shardCount(1, 4 * SHARD_TOKENS), 1);
  assert.equal(shardCount(3, 2000), 3);
  const rows = Int32Array.from({ length: 7 }, (_, i) => 10 + i);
  const shards = shardRows(rows, SHARD_TOKENS / 2);
  assert.equal(shards.length, 4);
  assert.deepEqual(shards.flatMap((s) => [...s]), [...rows]);
  for (const s of shards) assert.ok(s.length * SHARD_TOKENS / 2 <= SHARD_TOKENS);
});

Deno.test("1 and 2 threads give bit-identical gradients over 4 shards", async () => {
  const weights = generateBertWeights(bertShape("tiny", 300), 4);
  const random = new SeededRandom(9, "shards");
  const sequence = SHARD_TOKENS / 2;
  const shards = shardRows(Int32Array.from({ length: 8 }, (_, i) => i), sequence).map((rows) => {
    const batch = rows.length;
    const mask = new Float32Array(batch * sequence).fill(1);
    mask.fill(0, sequence - 100, sequence); // the first row is padded
    return {
      tokens: {
        batch,
        sequence,
        ids: Int32Array.from(
          { length: batch * sequence },
          () => 1 + Math.floor(random.next() * 299),
        ),
        mask,
      },
      states: null,
      target: random.normalArray(batch, 1),
    };
  });
  assert.equal(shards.length, 4);
  const gradients = async (threads: number) => {
    const config = FinetuneConfigSchema.parse({ layers: "all", threads });
    const model = await createFinetuneModel(weights, config, false);
    const parallel = await DataParallelGradients.create(model, weights, config, false);
    try {
      const { loss, grads } = await parallel.lossAndGrads(shards, "mean");
      const values = grads.map((g) => g.dataSync().slice());
      model.tf.dispose(grads);
      return { loss, values };
    } finally {
      parallel.dispose();
      model.dispose();
    }
  };
  const one = await gradients(1);
  const two = await gradients(2);
  assert.ok(Number.isFinite(one.loss));
  assert.equal(two.loss, one.loss);
  assert.equal(two.values.length, one.values.length);
  one.values.forEach((g, i) => assert.deepEqual(two.values[i], g, `gradient ${i}`));
  assert.ok(one.values.some((g) => g.some((x) => x !== 0)));
});
