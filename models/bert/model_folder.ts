/**
 * Finds and checks the files of a local Hugging Face model folder before any heavy library
 * sees them, so a missing or inconsistent file is reported by name instead of failing deep
 * inside onnxruntime or transformers.js.
 */
import { join, resolve } from "node:path";
import { z } from "zod";

/** The fields of config.json the encoder relies on; other fields are kept but not read. */
const BertFolderConfigSchema = z.object({
  model_type: z.string().optional(),
  hidden_size: z.number().int().min(1),
  vocab_size: z.number().int().min(1),
  max_position_embeddings: z.number().int().min(1),
  num_hidden_layers: z.number().int().min(1).optional(),
  num_attention_heads: z.number().int().min(1).optional(),
  intermediate_size: z.number().int().min(1).optional(),
}).loose();
export type BertFolderConfig = z.infer<typeof BertFolderConfigSchema>;

export interface ModelFolder {
  /** absolute path of the folder */
  dir: string;
  config: BertFolderConfig;
  /** the .onnx file to run */
  modelPath: string;
  /** where the tokenizer comes from */
  tokenizer: { kind: "tokenizer.json" } | { kind: "vocab.txt"; configPath: string };
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`${path} is missing`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

export async function readConfig(path: string): Promise<BertFolderConfig> {
  const result = BertFolderConfigSchema.safeParse(await readJsonFile(path));
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`${path}: ${problems.join("; ")}`);
}

/** The tokenizer files, checked in the order transformers.js prefers them. */
async function findTokenizer(dir: string): Promise<ModelFolder["tokenizer"]> {
  if (await fileExists(join(dir, "tokenizer.json"))) return { kind: "tokenizer.json" };
  const configPath = join(dir, "tokenizer_config.json");
  if (await fileExists(join(dir, "vocab.txt"))) {
    if (!(await fileExists(configPath))) {
      throw new Error(
        `${configPath} is missing (needed with vocab.txt when tokenizer.json is absent)`,
      );
    }
    return { kind: "vocab.txt", configPath };
  }
  throw new Error(
    `${dir}: no tokenizer: expected tokenizer.json, or vocab.txt with tokenizer_config.json`,
  );
}

async function findModel(dir: string, quantized: boolean): Promise<string> {
  const file = quantized ? "model_quantized.onnx" : "model.onnx";
  const candidates = [join(dir, "onnx", file), join(dir, file)];
  for (const path of candidates) if (await fileExists(path)) return path;
  throw new Error(`${dir}: no ONNX model: expected ${candidates.join(" or ")}`);
}

/** Locates config, model and tokenizer files; throws an Error naming the first problem. */
export async function inspectModelFolder(dir: string, quantized: boolean): Promise<ModelFolder> {
  const absolute = resolve(dir);
  try {
    if (!(await Deno.stat(absolute)).isDirectory) throw new Error(`${absolute} is not a folder`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`model folder ${absolute} does not exist`);
    }
    throw error;
  }
  const config = await readConfig(join(absolute, "config.json"));
  const tokenizer = await findTokenizer(absolute);
  const modelPath = await findModel(absolute, quantized);
  return { dir: absolute, config, modelPath, tokenizer };
}
