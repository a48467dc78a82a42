/**
 * Saves a fine-tuned encoder as a model folder that `model_dir` accepts: config.json and the
 * tokenizer files copied from the source folder, model.safetensors with the new weights,
 * onnx/model.onnx built from them (so the ONNX inference path loads it), and the trained
 * regression output with its target scale in regression_head.json.
 */
import { join } from "node:path";
import { writeBertWeights } from "./bert_weights_file.ts";
import type { FinetuneResult } from "./finetune.ts";
import { fileExists } from "./model_folder.ts";
import { buildBertOnnx } from "./tiny_bert_graph.ts";

const COPIED = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "vocab.txt",
  "special_tokens_map.json",
];

/** Writes the folder; returns its files, relative to `outDir`. */
export async function writeFinetunedFolder(
  sourceDir: string,
  outDir: string,
  result: Pick<FinetuneResult, "weights" | "output" | "bestEpoch">,
  encoder: { pooling: "cls" | "mean"; max_length: number },
): Promise<string[]> {
  await Deno.mkdir(join(outDir, "onnx"), { recursive: true });
  const files: string[] = [];
  for (const name of COPIED) {
    if (await fileExists(join(sourceDir, name))) {
      await Deno.copyFile(join(sourceDir, name), join(outDir, name));
      files.push(name);
    }
  }
  await writeBertWeights(outDir, result.weights);
  await Deno.writeFile(join(outDir, "onnx", "model.onnx"), await buildBertOnnx(result.weights));
  const head = {
    note: "score = (pooled encoder output · weight + bias) * std + mean",
    pooling: encoder.pooling,
    max_length: encoder.max_length,
    best_epoch: result.bestEpoch,
    weight: Array.from(result.output.w),
    bias: result.output.b,
    mean: result.output.mean,
    std: result.output.std,
  };
  await Deno.writeTextFile(join(outDir, "regression_head.json"), JSON.stringify(head) + "\n");
  return [...files, "model.safetensors", "onnx/model.onnx", "regression_head.json"];
}
