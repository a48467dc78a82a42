/**
 * Writes a generated BERT encoder as a Hugging Face model folder (config.json, tokenizer
 * files, model.safetensors, onnx/model.onnx and optionally onnx/model_quantized.onnx), so
 * tests and benchmarks exercise the same loading code as a real downloaded model.
 */
import { join } from "node:path";
import { writeBertWeights } from "./bert_weights_file.ts";
import { buildBertOnnx } from "./tiny_bert_graph.ts";
import {
  type BertShape,
  bertShape,
  type BertShapeName,
  generateBertWeights,
} from "./tiny_bert_weights.ts";
import { buildWordPieceVocab, tokenizerConfigJson, tokenizerJson } from "./wordpiece_vocab.ts";

export interface TinyBertOptions {
  /** texts the WordPiece vocabulary is built from (the synopses) */
  texts: readonly string[];
  seed: number;
  /** "tiny" (2 layers, hidden 128) by default; "minilm" (6 layers, hidden 384, vocab 30522) */
  shape?: BertShapeName;
  /** also write onnx/model_quantized.onnx with int8 weights */
  quantized?: boolean;
  /** cap on the vocabulary (tiny default: 4000 tokens) */
  maxVocab?: number;
}

const MINILM_VOCAB_SIZE = 30522;
const TINY_MAX_VOCAB = 4000;

/** The `config.json` of a BERT model with this shape. */
export function bertConfigJson(shape: BertShape): Record<string, unknown> {
  return {
    model_type: "bert",
    architectures: ["BertModel"],
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    max_position_embeddings: shape.maxPositions,
    type_vocab_size: shape.typeVocabSize,
    vocab_size: shape.vocabSize,
    hidden_act: "gelu",
    layer_norm_eps: shape.layerNormEps,
    pad_token_id: 0,
  };
}

function writeJson(path: string, value: unknown): Promise<void> {
  return Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

/** Generates the model folder in `dir` (created if missing) and returns its shape. */
export async function writeTinyBert(dir: string, options: TinyBertOptions): Promise<BertShape> {
  const shapeName = options.shape ?? "tiny";
  const vocab = shapeName === "minilm"
    ? buildWordPieceVocab(options.texts, {
      maxSize: options.maxVocab ?? MINILM_VOCAB_SIZE,
      padToSize: MINILM_VOCAB_SIZE,
    })
    : buildWordPieceVocab(options.texts, { maxSize: options.maxVocab ?? TINY_MAX_VOCAB });
  const shape = bertShape(shapeName, vocab.length);
  const weights = generateBertWeights(shape, options.seed);

  await Deno.mkdir(join(dir, "onnx"), { recursive: true });
  await writeJson(join(dir, "config.json"), bertConfigJson(shape));
  await writeJson(join(dir, "tokenizer.json"), tokenizerJson(vocab));
  await writeJson(join(dir, "tokenizer_config.json"), tokenizerConfigJson(shape.maxPositions));
  await Deno.writeTextFile(join(dir, "vocab.txt"), vocab.join("\n") + "\n");
  await Deno.writeFile(join(dir, "onnx", "model.onnx"), await buildBertOnnx(weights, false));
  await writeBertWeights(dir, weights);
  if (options.quantized) {
    await Deno.writeFile(
      join(dir, "onnx", "model_quantized.onnx"),
      await buildBertOnnx(weights, true),
    );
  }
  return shape;
}
