/**
 * The WebGPU device: where navigator.gpu gives an adapter (here Deno finds a software one,
 * llvmpipe), a short fine-tune on webgpu gives the predictions of the cpu (wasm) run to 1e-4;
 * without an adapter, the reason is stated (tested with stand-ins for navigator.gpu).
 */
import assert from "node:assert/strict";
import { FinetuneConfigSchema } from "../models/bert/config.ts";
import { finetuneBert, type FinetuneInput } from "../models/bert/finetune.ts";
import { adapterProblem, webgpuProblem } from "../models/bert/tfjs_backend.ts";
import { bertShape, generateBertWeights } from "../models/bert/tiny_bert_weights.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";

const problem = await webgpuProblem();
if (problem) console.log(`skipping the webgpu comparison: ${problem}`);

function smallTask(): FinetuneInput {
  const shape = { ...bertShape("tiny", 60), hidden: 32, heads: 4, intermediate: 64 };
  const weights = generateBertWeights(shape, 4);
  const random = new SeededRandom(4, "webgpu-task");
  const texts = 24;
  const offsets = new Int32Array(texts + 1);
  const ids: number[] = [];
  const y: number[] = [];
  for (let t = 0; t < texts; t++) {
    const length = 4 + Math.floor(random.next() * 8);
    let sum = 0;
    for (let i = 0; i < length; i++) {
      const id = 1 + Math.floor(random.next() * 59);
      ids.push(id);
      sum += id % 3;
    }
    offsets[t + 1] = ids.length;
    y.push(6 + sum / length);
  }
  const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
  const [train, dev, test] = [range(0, 16), range(16, 20), range(20, 24)];
  return {
    weights,
    tokens: { ids: Int32Array.from(ids), offsets },
    lowerStates: null,
    train,
    dev,
    test,
    yTrain: Array.from(train, (i) => y[i]),
    yDev: Array.from(dev, (i) => y[i]),
  };
}

Deno.test({
  name: "a fine-tune on webgpu agrees with the cpu one to 1e-4",
  ignore: problem !== null,
  async fn() {
    const data = smallTask();
    const run = (device: "cpu" | "webgpu") =>
      finetuneBert(data, {
        config: FinetuneConfigSchema.parse({
          epochs: 2,
          batch_size: 8,
          learning_rate: 1e-4,
          device,
        }),
        pooling: "mean",
      });
    const cpu = await run("cpu");
    const gpu = await run("webgpu");
    assert.equal(gpu.backend, "webgpu");
    assert.equal(cpu.backend, "wasm");
    for (const part of ["predDev", "predTest"] as const) {
      for (let i = 0; i < cpu[part].length; i++) {
        const diff = Math.abs(cpu[part][i] - gpu[part][i]);
        assert.ok(diff <= 1e-4, `${part}[${i}]: cpu ${cpu[part][i]} vs webgpu ${gpu[part][i]}`);
      }
    }
  },
});

Deno.test("without navigator.gpu or an adapter the reason is stated", async () => {
  assert.equal(await adapterProblem(undefined), "this runtime has no navigator.gpu");
  assert.match(
    String(await adapterProblem({ requestAdapter: () => Promise.resolve(null) })),
    /found no adapter/,
  );
  assert.equal(await adapterProblem({ requestAdapter: () => Promise.resolve({}) }), null);
});
