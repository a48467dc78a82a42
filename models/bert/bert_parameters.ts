/**
 * BERT's Hugging Face parameter names (`embeddings.word_embeddings.weight`,
 * `encoder.layer.0.attention.self.query.weight`, ...) mapped to and from BertWeights, with
 * every tensor's shape checked against config.json and every value checked finite. Linear
 * weights are [outputs, inputs] in HF files and [inputs, outputs] in BertWeights.
 */
import type { BertFolderConfig } from "./model_folder.ts";
import type { NamedTensor } from "./safetensors.ts";
import type {
  BertLayerWeights,
  BertShape,
  BertWeights,
  Dense,
  LayerNormWeights,
} from "./tiny_bert_weights.ts";

/** The shape config.json describes; throws naming the missing field. */
export function shapeFromConfig(config: BertFolderConfig, configPath: string): BertShape {
  const need = (field: keyof BertFolderConfig): number => {
    const value = config[field];
    if (typeof value !== "number") throw new Error(`${configPath}: ${field} is missing`);
    return value;
  };
  const shape: BertShape = {
    vocabSize: config.vocab_size,
    hidden: config.hidden_size,
    layers: need("num_hidden_layers"),
    heads: need("num_attention_heads"),
    intermediate: need("intermediate_size"),
    maxPositions: config.max_position_embeddings,
    typeVocabSize: typeof config.type_vocab_size === "number" ? config.type_vocab_size : 2,
    layerNormEps: typeof config.layer_norm_eps === "number" ? config.layer_norm_eps : 1e-12,
  };
  if (shape.hidden % shape.heads !== 0) {
    throw new Error(
      `${configPath}: hidden_size ${shape.hidden} is not divisible by num_attention_heads ` +
        `${shape.heads}`,
    );
  }
  return shape;
}

/** The prefix of layer `l`'s parameters. */
export const layerPrefix = (l: number) => `encoder.layer.${l}`;

/** Names of the dense layers of one encoder layer, by BertLayerWeights field. */
export const DENSE_NAMES = {
  query: "attention.self.query",
  key: "attention.self.key",
  value: "attention.self.value",
  attentionOut: "attention.output.dense",
  intermediate: "intermediate.dense",
  output: "output.dense",
} as const;
export const NORM_NAMES = {
  attentionNorm: "attention.output.LayerNorm",
  outputNorm: "output.LayerNorm",
} as const;

/** Reads tensors by HF name; `layout` of dense weights: "hf" [out, in] or "io" [in, out]. */
export type TensorLookup = (name: string) => NamedTensor | null;

export function weightsFromTensors(
  lookup: TensorLookup,
  shape: BertShape,
  file: string,
  denseLayout: "hf" | "io",
): BertWeights {
  const H = shape.hidden;
  const get = (name: string, dims: number[]): Float32Array => {
    const tensor = lookup(name);
    if (!tensor) throw new Error(`${file}: tensor ${name} is missing`);
    const same = tensor.shape.length === dims.length && tensor.shape.every((d, i) => d === dims[i]);
    if (!same) {
      throw new Error(
        `${file}: tensor ${name} has shape [${tensor.shape}] but config.json implies [${dims}]`,
      );
    }
    const data = tensor.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new Error(`${file}: tensor ${name} has a non-finite value (${data[i]}) at ${i}`);
      }
    }
    return data;
  };
  const dense = (name: string, inputs: number, outputs: number): Dense => {
    const b = get(`${name}.bias`, [outputs]);
    if (denseLayout === "io") {
      return { w: get(`${name}.weight`, [inputs, outputs]), b, inputs, outputs };
    }
    return {
      w: transpose(get(`${name}.weight`, [outputs, inputs]), outputs, inputs),
      b,
      inputs,
      outputs,
    };
  };
  const norm = (name: string): LayerNormWeights => ({
    gamma: get(`${name}.weight`, [H]),
    beta: get(`${name}.bias`, [H]),
  });
  const sizes = {
    query: [H, H],
    key: [H, H],
    value: [H, H],
    attentionOut: [H, H],
    intermediate: [H, shape.intermediate],
    output: [shape.intermediate, H],
  } as const;
  const layers = Array.from({ length: shape.layers }, (_, l): BertLayerWeights => {
    const p = layerPrefix(l);
    const d = (field: keyof typeof DENSE_NAMES) =>
      dense(`${p}.${DENSE_NAMES[field]}`, sizes[field][0], sizes[field][1]);
    return {
      query: d("query"),
      key: d("key"),
      value: d("value"),
      attentionOut: d("attentionOut"),
      attentionNorm: norm(`${p}.${NORM_NAMES.attentionNorm}`),
      intermediate: d("intermediate"),
      output: d("output"),
      outputNorm: norm(`${p}.${NORM_NAMES.outputNorm}`),
    };
  });
  return {
    shape,
    wordEmbeddings: get("embeddings.word_embeddings.weight", [shape.vocabSize, H]),
    positionEmbeddings: get("embeddings.position_embeddings.weight", [shape.maxPositions, H]),
    typeEmbeddings: get("embeddings.token_type_embeddings.weight", [shape.typeVocabSize, H]),
    embeddingNorm: norm("embeddings.LayerNorm"),
    layers,
  };
}

/** Every parameter under its HF name, dense weights in HF's [out, in] layout. */
export function weightsToTensors(weights: BertWeights): Record<string, NamedTensor> {
  const { shape } = weights;
  const H = shape.hidden;
  const out: Record<string, NamedTensor> = {
    "embeddings.word_embeddings.weight": {
      shape: [shape.vocabSize, H],
      data: weights.wordEmbeddings,
    },
    "embeddings.position_embeddings.weight": {
      shape: [shape.maxPositions, H],
      data: weights.positionEmbeddings,
    },
    "embeddings.token_type_embeddings.weight": {
      shape: [shape.typeVocabSize, H],
      data: weights.typeEmbeddings,
    },
    "embeddings.LayerNorm.weight": { shape: [H], data: weights.embeddingNorm.gamma },
    "embeddings.LayerNorm.bias": { shape: [H], data: weights.embeddingNorm.beta },
  };
  weights.layers.forEach((layer, l) => {
    const p = layerPrefix(l);
    for (const [field, name] of Object.entries(DENSE_NAMES)) {
      const d = layer[field as keyof typeof DENSE_NAMES];
      out[`${p}.${name}.weight`] = {
        shape: [d.outputs, d.inputs],
        data: transpose(d.w, d.inputs, d.outputs),
      };
      out[`${p}.${name}.bias`] = { shape: [d.outputs], data: d.b };
    }
    for (const [field, name] of Object.entries(NORM_NAMES)) {
      const n = layer[field as keyof typeof NORM_NAMES];
      out[`${p}.${name}.weight`] = { shape: [H], data: n.gamma };
      out[`${p}.${name}.bias`] = { shape: [H], data: n.beta };
    }
  });
  return out;
}

/** A [rows, cols] row-major matrix transposed to [cols, rows]. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  }
  return out;
}
