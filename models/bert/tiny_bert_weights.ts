/**
 * Shapes and seeded random weights of a generated BERT encoder. Word embeddings are large
 * and every sublayer's weights small, so the residual stack stays close to the identity and
 * the pooled output keeps the words' signal (a regression head can learn from it).
 */
import { SeededRandom } from "./seeded_random.ts";

export interface BertShape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

/** Named shapes without a vocabulary size (that comes from the texts). */
export const BERT_SHAPES = {
  tiny: { hidden: 128, layers: 2, heads: 4, intermediate: 256 },
  minilm: { hidden: 384, layers: 6, heads: 12, intermediate: 1536 },
} as const;
export type BertShapeName = keyof typeof BERT_SHAPES;

export function bertShape(name: BertShapeName, vocabSize: number): BertShape {
  return {
    ...BERT_SHAPES[name],
    vocabSize,
    maxPositions: 512,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
}

/** A dense layer for MatMul(x, w) + b: `w` is [inputs, outputs] row-major. */
export interface Dense {
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
}

export interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface BertLayerWeights {
  query: Dense;
  key: Dense;
  value: Dense;
  attentionOut: Dense;
  attentionNorm: LayerNormWeights;
  intermediate: Dense;
  output: Dense;
  outputNorm: LayerNormWeights;
}

export interface BertWeights {
  shape: BertShape;
  /** [vocabSize, hidden] */
  wordEmbeddings: Float32Array;
  /** [maxPositions, hidden] */
  positionEmbeddings: Float32Array;
  /** [typeVocabSize, hidden] */
  typeEmbeddings: Float32Array;
  embeddingNorm: LayerNormWeights;
  layers: BertLayerWeights[];
}

const WORD_STD = 1;
const POSITION_STD = 0.1;
const SUBLAYER_STD = 0.02; // BERT's initializer_range

export function generateBertWeights(shape: BertShape, seed: number): BertWeights {
  if (shape.hidden % shape.heads !== 0) {
    throw new Error(`hidden size ${shape.hidden} is not divisible by ${shape.heads} heads`);
  }
  const H = shape.hidden;
  const rng = (label: string) => new SeededRandom(seed, `tiny-bert:${label}`);
  const dense = (label: string, inputs: number, outputs: number): Dense => {
    const r = rng(label);
    return {
      w: r.normalArray(inputs * outputs, SUBLAYER_STD),
      b: r.normalArray(outputs, SUBLAYER_STD),
      inputs,
      outputs,
    };
  };
  const norm = (label: string): LayerNormWeights => {
    const r = rng(label);
    return { gamma: r.normalArray(H, SUBLAYER_STD, 1), beta: r.normalArray(H, SUBLAYER_STD) };
  };
  const layers = Array.from({ length: shape.layers }, (_, l): BertLayerWeights => ({
    query: dense(`${l}.query`, H, H),
    key: dense(`${l}.key`, H, H),
    value: dense(`${l}.value`, H, H),
    attentionOut: dense(`${l}.attention_out`, H, H),
    attentionNorm: norm(`${l}.attention_norm`),
    intermediate: dense(`${l}.intermediate`, H, shape.intermediate),
    output: dense(`${l}.output`, shape.intermediate, H),
    outputNorm: norm(`${l}.output_norm`),
  }));
  return {
    shape,
    wordEmbeddings: rng("word").normalArray(shape.vocabSize * H, WORD_STD),
    positionEmbeddings: rng("position").normalArray(shape.maxPositions * H, POSITION_STD),
    typeEmbeddings: rng("type").normalArray(shape.typeVocabSize * H, POSITION_STD),
    embeddingNorm: norm("embedding_norm"),
    layers,
  };
}
