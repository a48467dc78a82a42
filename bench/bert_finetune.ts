/**
 * Fine-tuning throughput of a MiniLM-shaped encoder (6 layers, hidden 384, 12 heads,
 * intermediate 1536, vocab 30522): examples/s of full training steps (forward, backward,
 * AdamW update) at 128 and 256 tokens, batch 8 and 16, for `layers: 1`, `2` and `all` (all
 * = 6 layers and the embedding table). `layers: N` starts from cached lower states, so only
 * the top N layers run, as in a fine-tune. Each setting runs in its own process, so its peak
 * RSS is its own, and each thread's tfjs wasm heap is reported (main / worker: a wasm memory
 * never shrinks, so its size is that thread's high-water mark of tensor memory). GFLOP/s
 * counts 3x the forward matrix products of the trained layers.
 *
 *   deno task bench bert-finetune
 *   deno run -A bench/bert_finetune.ts [--layers 1,2,all] [--lengths 128,256]
 *     [--batches 8,16] [--steps 2] [--checkpoint-at 2048] [--device cpu] [--threads 2]
 * (`all` recomputes layers in the backward pass from tokens x batch >= --checkpoint-at;
 * --threads: gradient threads, i.e. model.finetune.threads, data parallelism.)
 * Targets (2 cores): layers 2 @128 >= 12 examples/s, all @128 >= 3, peak RSS <= 3 GB @256.
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { AdamW } from "../models/bert/adamw.ts";
import { FinetuneConfigSchema } from "../models/bert/config.ts";
import { createFinetuneModel } from "../models/bert/finetune_model.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { DataParallelGradients } from "../models/bert/data_parallel.ts";
import { shardRows } from "../models/bert/shard_gradients.ts";
import { bertShape, generateBertWeights } from "../models/bert/tiny_bert_weights.ts";
import { peakRssMb } from "../runners/run.ts";
import { denoRunArgs } from "../runners/paths.ts";

const { values: args } = parseArgs({
  options: {
    layers: { type: "string", default: "1,2,all" },
    lengths: { type: "string", default: "128,256" },
    batches: { type: "string", default: "8,16" },
    steps: { type: "string", default: "2" },
    "checkpoint-at": { type: "string", default: "2048" },
    device: { type: "string", default: "cpu" },
    threads: { type: "string", default: "2" },
    one: { type: "string" },
  },
});

const shape = bertShape("minilm", 30522);

/** Forward FLOPs of one encoder layer for one sequence of `s` tokens. */
function layerFlops(s: number): number {
  const { hidden: h, intermediate: i } = shape;
  return 2 * s * (4 * h * h + 2 * h * i) + 2 * 2 * s * s * h;
}

async function measureOne(spec: string): Promise<void> {
  const [layersText, lengthText, batchText, checkpoint] = spec.split(",");
  const layers = layersText === "all" ? "all" : Number(layersText);
  const sequence = Number(lengthText);
  const batch = Number(batchText);
  const config = FinetuneConfigSchema.parse({
    layers,
    batch_size: batch,
    device: args.device,
    checkpoint_layers: checkpoint === "1",
    threads: Number(args.threads),
  });
  const weights = generateBertWeights(shape, 1);
  const fromStates = layers !== "all";
  const model = await createFinetuneModel(weights, config, fromStates);
  const { tf } = model;
  const optimizer = new AdamW(tf, model.variables, model.names, {
    learningRate: 2e-5,
    weightDecay: 0.01,
    maxGradNorm: 1,
    totalSteps: 1000,
    warmupSteps: 0,
  });
  const random = new SeededRandom(2, "bench:finetune");
  const tokens = {
    batch,
    sequence,
    ids: Int32Array.from({ length: batch * sequence }, () => 1 + Math.floor(random.next() * 30000)),
    mask: new Float32Array(batch * sequence).fill(1),
  };
  const states = random.normalArray(batch * sequence * shape.hidden, 1);
  const target = random.normalArray(batch, 1);
  const parallel = await DataParallelGradients.create(model, config, fromStates);
  // the batch in shards as finetune.ts cuts it: whole rows of tokens, states and targets
  const all = Int32Array.from({ length: batch }, (_, i) => i);
  const shards = shardRows(all, sequence).map((rows) => {
    const [from, to] = [rows[0], rows[rows.length - 1] + 1];
    const cut = (a: Float32Array | Int32Array, width: number) => a.slice(from * width, to * width);
    return {
      tokens: {
        batch: to - from,
        sequence,
        ids: cut(tokens.ids, sequence) as Int32Array,
        mask: cut(tokens.mask, sequence) as Float32Array,
      },
      states: fromStates ? cut(states, sequence * shape.hidden) as Float32Array : null,
      target: target.slice(from, to),
    };
  });
  const step = async () => {
    const { grads } = await parallel.lossAndGrads(shards, "mean");
    await optimizer.apply(grads);
    tf.dispose(grads);
  };
  await step(); // warm-up: kernels compile, buffers grow
  const steps = Number(args.steps);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) await step();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const heapsMb = (await parallel.heapBytes()).map((b) =>
    b === null ? null : Math.round(b / 2 ** 20)
  );
  const examples = steps * batch;
  const trained = layers === "all" ? shape.layers : layers;
  const flops = 3 * trained * layerFlops(sequence) * examples;
  console.log(JSON.stringify({
    layers: layersText,
    tokens: sequence,
    batch,
    checkpoint: checkpoint === "1",
    backend: tf.getBackend(),
    examples_per_s: examples / seconds,
    cpu_s_per_example: (cpu.user + cpu.system) / 1e6 / examples,
    gflops: flops / seconds / 1e9,
    gflop_per_cpu_s: flops / ((cpu.user + cpu.system) / 1e6) / 1e9,
    peak_rss_mb: peakRssMb(),
    heaps_mb: heapsMb,
    threads: config.threads,
  }));
  parallel.dispose();
}

if (args.one) {
  await measureOne(args.one);
} else {
  const [load1] = Deno.loadavg();
  console.log(
    `load average at start: ${load1.toFixed(2)} (${navigator.hardwareConcurrency} cores)`,
  );
  console.log(
    "| layers | tokens | batch | ckpt | examples/s | CPU-s/example | GFLOP/s | GFLOP/CPU-s | peak RSS MB | wasm heaps MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const layers of args.layers.split(",")) {
    for (const length of args.lengths.split(",")) {
      for (const batch of args.batches.split(",")) {
        // the whole model's activations outgrow the 4 GiB wasm heap from 128 x 16 tokens
        const checkpoint = layers === "all" &&
          Number(length) * Number(batch) >= Number(args["checkpoint-at"]);
        const out = await new Deno.Command(Deno.execPath(), {
          args: [
            ...denoRunArgs,
            import.meta.filename!,
            "--one",
            [layers, length, batch, checkpoint ? 1 : 0].join(","),
            "--steps",
            args.steps,
            "--device",
            args.device,
            "--threads",
            args.threads,
          ],
          stderr: "inherit",
        }).output();
        const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
        if (!out.success || !line.startsWith("{")) {
          console.log(
            `| ${layers} | ${length} | ${batch} | ${checkpoint} | failed (exit ${out.code}) | | | | | |`,
          );
          continue;
        }
        const r = JSON.parse(line);
        console.log(
          `| ${layers} | ${length} | ${batch} | ${r.checkpoint ? "yes" : "no"} | ` +
            `${r.examples_per_s.toFixed(2)} | ${r.cpu_s_per_example.toFixed(3)} | ` +
            `${r.gflops.toFixed(1)} | ${r.gflop_per_cpu_s.toFixed(1)} | ${r.peak_rss_mb} | ` +
            `${r.heaps_mb.map((mb: number | null) => mb ?? "n/a").join(" / ")} |`,
        );
      }
    }
  }
  console.log(`load average at end: ${Deno.loadavg()[0].toFixed(2)}`);
}
