/**
 * Data-parallel fine-tuning gradients: a batch is cut into shards by its size only (an even
 * count of at most SHARD_TOKENS tokens each), and 1 and 2 threads give bit-identical loss
 * and gradients for a batch of 4 shards, the whole model and the embeddings included, and
 * the top layer alone from given states. The worker builds its model from the shared trained
 * arrays (sharedWeights): no copy of what it never reads (lower layers, embeddings).
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

const weights = generateBertWeights(bertShape("tiny", 300), 4);

/** 4 shards of 8 rows (the first padded); `withStates`: the states entering layer 1 too */
function makeShards(withStates: boolean) {
  const random = new SeededRandom(9, "shards");
  const sequence = SHARD_TOKENS / 2;
  const H = weights.shape.hidden;
  return shardRows(Int32Array.from({ length: 8 }, (_, i) => i), sequence).map((rows) => {
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
      states: withStates ? random.normalArray(batch * sequence * H, 1) : null,
      target: random.normalArray(batch, 1),
    };
  });
}

async function gradients(layers: "all" | number, threads: number) {
  const fromStates = layers !== "all";
  const shards = makeShards(fromStates);
  assert.equal(shards.length, 4);
  const config = FinetuneConfigSchema.parse({ layers, threads });
  const model = await createFinetuneModel(weights, config, fromStates);
  const parallel = await DataParallelGradients.create(model, config, fromStates);
  try {
    const { loss, grads } = await parallel.lossAndGrads(shards, "mean");
    const values = grads.map((g) => g.dataSync().slice());
    model.tf.dispose(grads);
    return { loss, values };
  } finally {
    parallel.dispose();
    model.dispose();
  }
}

for (const layers of ["all", 1] as const) {
  Deno.test(`1 and 2 threads give bit-identical gradients over 4 shards (layers: ${layers})`, async () => {
    const one = await gradients(layers, 1);
    const two = await gradients(layers, 2);
    assert.ok(Number.isFinite(one.loss));
    assert.equal(two.loss, one.loss);
    assert.equal(two.values.length, one.values.length);
    one.values.forEach((g, i) => assert.deepEqual(two.values[i], g, `gradient ${i}`));
    assert.ok(one.values.some((g) => g.some((x) => x !== 0)));
  });
}

Deno.test("the worker's weights are the shared trained arrays, with nothing it never reads", async () => {
  const H = weights.shape.hidden;
  for (const [layers, fromStates] of [["all", false], [1, true], [2, true]] as const) {
    const config = FinetuneConfigSchema.parse({ layers, threads: 1 });
    const model = await createFinetuneModel(weights, config, fromStates);
    try {
      const { bert } = model;
      const trained = bert.variables.map((v) => new Float32Array(v.size));
      const shared = bert.sharedWeights(trained);
      const first = bert.options.firstLayer;
      const top = shared.layers[weights.layers.length - 1];
      assert.equal(top.query.w, trained[16 * (weights.layers.length - 1 - first)]);
      assert.equal(top.outputNorm.beta.length, H);
      for (let l = 0; l < first; l++) {
        assert.equal(shared.layers[l].query.w.length, 0);
        assert.equal(shared.layers[l].outputNorm.gamma.length, 0);
      }
      if (first > 0) assert.equal(shared.wordEmbeddings.length, 0);
      else if (layers === "all") assert.equal(shared.wordEmbeddings, trained.at(-5));
      else assert.equal(shared.wordEmbeddings, weights.wordEmbeddings); // frozen: as loaded
      assert.deepEqual(shared.shape, weights.shape);
    } finally {
      model.dispose();
    }
  }
});
