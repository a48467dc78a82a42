/**
 * BERT weights from a local model folder: `model.safetensors` when present (the HF format),
 * else the initializers of `onnx/model.onnx`. Writing puts `model.safetensors` next to
 * config.json. Errors name the file and the tensor.
 */
import { join, resolve } from "node:path";
import { shapeFromConfig, weightsFromTensors, weightsToTensors } from "./bert_parameters.ts";
import { fileExists, inspectModelFolder, readConfig } from "./model_folder.ts";
import { onnxInitializerLookup } from "./onnx_initializers.ts";
import { encodeSafetensors, readSafetensors } from "./safetensors.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";

export const SAFETENSORS_FILE = "model.safetensors";
/** HF checkpoints of task models (BertForSequenceClassification) prefix the encoder's names. */
const ENCODER_PREFIX = "bert.";

export interface LoadedWeights {
  weights: BertWeights;
  /** the file they came from */
  source: string;
}

export async function loadBertWeights(dir: string): Promise<LoadedWeights> {
  const absolute = resolve(dir);
  const configPath = join(absolute, "config.json");
  const shape = shapeFromConfig(await readConfig(configPath), configPath);
  const safetensorsPath = join(absolute, SAFETENSORS_FILE);
  if (await fileExists(safetensorsPath)) {
    const file = await readSafetensors(safetensorsPath);
    const prefixed = !file.has("embeddings.word_embeddings.weight") &&
      file.has(ENCODER_PREFIX + "embeddings.word_embeddings.weight");
    const lookup = (name: string) => {
      const full = prefixed ? ENCODER_PREFIX + name : name;
      return file.has(full) ? file.tensor(full) : null;
    };
    return {
      weights: weightsFromTensors(lookup, shape, safetensorsPath, "hf"),
      source: safetensorsPath,
    };
  }
  const folder = await inspectModelFolder(absolute, false);
  const lookup = await onnxInitializerLookup(folder.modelPath);
  return {
    weights: weightsFromTensors(lookup, shape, folder.modelPath, "io"),
    source: folder.modelPath,
  };
}

/** Writes `<dir>/model.safetensors`. */
export async function writeBertWeights(dir: string, weights: BertWeights): Promise<void> {
  await Deno.writeFile(join(dir, SAFETENSORS_FILE), encodeSafetensors(weightsToTensors(weights)));
}
