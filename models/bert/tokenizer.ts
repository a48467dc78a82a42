/**
 * Loads a local WordPiece tokenizer through transformers.js (never reaching for the hub) and
 * turns texts into token ids packed in one Int32Array. transformers.js is imported lazily
 * so runs that never embed do not pay for it.
 */
import { basename, dirname, join, resolve, sep } from "node:path";
import { loadTransformers } from "./heavy_packages.ts";
import { fileExists, readJsonFile } from "./model_folder.ts";
import { tokenizerJson } from "./wordpiece_vocab.ts";

/** Token ids of many texts: text i has ids[offsets[i] .. offsets[i + 1]). */
export interface TokenizedTexts {
  ids: Int32Array;
  offsets: Int32Array;
}

export interface TextTokenizer {
  /** largest token id + 1 */
  vocabSize: number;
  /** ids with [CLS] and [SEP], cut to `max_length` keeping the closing [SEP] */
  tokenize(texts: readonly string[], max_length: number): TokenizedTexts;
}

/** The part of a transformers.js tokenizer used here. */
interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  model: { tokens_to_ids: Map<string, number> };
}

async function loadHfTokenizer(dir: string): Promise<HfTokenizer> {
  const transformers = await loadTransformers();
  const { env } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  if (await fileExists(join(dir, "tokenizer.json"))) {
    // from_pretrained resolves a model id under localModelPath: point it at the parent folder.
    env.localModelPath = dirname(dir) + sep;
    return await transformers.AutoTokenizer.from_pretrained(basename(dir), {
      local_files_only: true,
    }) as unknown as HfTokenizer;
  }
  const vocabPath = join(dir, "vocab.txt");
  const configPath = join(dir, "tokenizer_config.json");
  if (!(await fileExists(vocabPath)) || !(await fileExists(configPath))) {
    throw new Error(
      `${dir}: no tokenizer: expected tokenizer.json, or vocab.txt with tokenizer_config.json`,
    );
  }
  // transformers.js reads only tokenizer.json, so build its content from vocab.txt.
  const vocab = (await Deno.readTextFile(vocabPath)).split(/\r?\n/);
  while (vocab.length && vocab[vocab.length - 1] === "") vocab.pop();
  const config = await readJsonFile(configPath) as Record<string, unknown>;
  const lowercase = config.do_lower_case !== false;
  return new transformers.BertTokenizer(
    tokenizerJson(vocab, lowercase),
    config,
  ) as unknown as HfTokenizer;
}

class PackedTokenizer implements TextTokenizer {
  readonly vocabSize: number;

  constructor(private readonly hf: HfTokenizer) {
    let maxId = -1;
    for (const id of hf.model.tokens_to_ids.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
  }

  tokenize(texts: readonly string[], max_length: number): TokenizedTexts {
    if (!Number.isInteger(max_length) || max_length < 2) {
      throw new Error(`max_length must be an integer >= 2, got ${max_length}`);
    }
    const offsets = new Int32Array(texts.length + 1);
    let ids = new Int32Array(Math.max(16, texts.length * 64));
    let used = 0;
    for (let t = 0; t < texts.length; t++) {
      const encoded = this.hf.encode(texts[t], { add_special_tokens: true });
      // transformers.js truncation drops the closing [SEP]; cut here and keep it, as BERT does.
      const keep = Math.min(encoded.length, max_length);
      if (used + keep > ids.length) {
        const grown = new Int32Array(Math.max(ids.length * 2, used + keep));
        grown.set(ids);
        ids = grown;
      }
      for (let i = 0; i < keep - 1; i++) ids[used + i] = encoded[i];
      if (keep > 0) ids[used + keep - 1] = encoded[encoded.length - 1];
      used += keep;
      offsets[t + 1] = used;
    }
    return { ids: ids.slice(0, used), offsets };
  }
}

/**
 * The tokenizer of a local model folder: tokenizer.json through AutoTokenizer, or
 * vocab.txt + tokenizer_config.json for folders that ship only those.
 */
export async function loadTokenizer(dir: string): Promise<TextTokenizer> {
  const absolute = resolve(dir);
  return new PackedTokenizer(await loadHfTokenizer(absolute));
}
