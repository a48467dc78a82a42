/**
 * Encoder throughput: synopses per second at 256 tokens for a generated MiniLM-shaped model
 * (6 layers, hidden 384, 12 heads, vocab 30522), fp32 and int8, through the same loadEncoder
 * the runner uses. Every text is long enough to be cut at 256 tokens, so this is the worst
 * case of the study's setting.
 *
 *   deno run -A bench/bert_encoder.ts [--texts 64] [--batch 8] [--threads 2] [--words 500]
 *     [--max-length 256] [--keep DIR]
 * (--words 120 is nearer a typical synopsis; length batching then pads less.)
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { loadEncoder } from "../models/bert/encoder.ts";
import { SeededRandom } from "../models/bert/seeded_random.ts";
import { writeTinyBert } from "../models/bert/tiny_bert.ts";

const { values: args } = parseArgs({
  options: {
    texts: { type: "string", default: "64" },
    batch: { type: "string", default: "8" },
    threads: { type: "string" },
    "max-length": { type: "string", default: "256" },
    words: { type: "string", default: "500" },
    keep: { type: "string" },
  },
});
const textCount = Number(args.texts);
const batch_size = Number(args.batch);
const max_length = Number(args["max-length"]);
const threads = args.threads ? Number(args.threads) : undefined;
const wordsPerText = Number(args.words);

const SYLLABLES = ["ka", "ri", "to", "mi", "sa", "ne", "ko", "yu", "ha", "shi", "ra", "no"];

/** Synopsis-like texts of about `words` words (500: every text over 256 tokens), seeded. */
function syntheticSynopses(count: number, words: number): string[] {
  const rng = new SeededRandom(7, "bench:synopses");
  const lexicon = Array.from({ length: 2000 }, () => {
    const parts = 1 + Math.floor(rng.next() * 4);
    let w = "";
    for (let i = 0; i < parts; i++) w += SYLLABLES[Math.floor(rng.next() * SYLLABLES.length)];
    return w;
  });
  return Array.from({ length: count }, () => {
    const out: string[] = [];
    // lengths vary by ±50% around the mean, as synopses do
    const length = Math.round(words * (0.5 + rng.next()));
    for (let i = 0; i < length; i++) {
      out.push(lexicon[Math.floor(rng.next() * lexicon.length)]);
      if (rng.next() < 0.08) out.push(rng.next() < 0.5 ? "," : ".");
    }
    return out.join(" ");
  });
}

const texts = syntheticSynopses(textCount, wordsPerText);
const dir = args.keep ?? await Deno.makeTempDir({ prefix: "bert-bench-" });
const t0 = performance.now();
await writeTinyBert(dir, { texts, seed: 1, shape: "minilm", quantized: true });
console.error(
  `generated MiniLM-shaped model in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}`,
);

const rows: string[] = [];
for (const quantized of [false, true]) {
  const loadStart = performance.now();
  const encoder = await loadEncoder(dir, {
    quantized,
    max_length,
    batch_size,
    threads,
    pooling: "mean",
  });
  const loadSeconds = (performance.now() - loadStart) / 1000;
  await encoder.embed(texts.slice(0, batch_size)); // warm-up: first runs allocate arenas
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await encoder.embed(texts, (done, total) => {
    const seconds = (performance.now() - start) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : 0;
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `\r${quantized ? "int8" : "fp32"} ${done}/${total} ${rate.toFixed(1)}/s eta ${
          eta.toFixed(0)
        } s `,
      ),
    );
  });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.error("");
  await encoder.dispose();
  rows.push(
    `| ${quantized ? "int8" : "fp32"} | ${textCount} | ${batch_size} | ${max_length} | ` +
      `${(textCount / seconds).toFixed(1)} | ${(textCount / cpuSeconds).toFixed(1)} | ` +
      `${loadSeconds.toFixed(2)} |`,
  );
}
console.log(
  `threads: ${threads ?? "onnxruntime default"}, cores: ${navigator.hardwareConcurrency}`,
);
// Per CPU-second is the figure to compare on a shared machine: wall time includes waiting
// for cores other processes hold.
console.log("| weights | texts | batch | tokens | synopses/s | synopses/cpu-s | load s |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
if (!args.keep) await Deno.remove(dir, { recursive: true });
