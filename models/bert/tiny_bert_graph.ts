/**
 * The ONNX graph of a BERT encoder (opset 17, standard ops only), fp32 or with dynamically
 * quantized int8 weights the way onnxruntime's `quantize_dynamic` writes them
 * (DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul -> Add, which onnxruntime fuses
 * into one integer kernel). Inputs: input_ids, attention_mask, token_type_ids (int64,
 * [batch, sequence]); output: last_hidden_state (float, [batch, sequence, hidden]).
 */
import { OnnxGraphBuilder } from "./onnx_graph_builder.ts";
import { encodeModel, OnnxType } from "./onnx_proto.ts";
import type { BertWeights, Dense, LayerNormWeights } from "./tiny_bert_weights.ts";
import { DENSE_NAMES, layerPrefix, NORM_NAMES } from "./bert_parameters.ts";

export const OPSET = 17; // LayerNormalization arrived in opset 17
const IR_VERSION = 8;
/** What a masked position adds to attention scores (BERT's extended attention mask). */
const MASKED_SCORE = -10000;

export const INPUT_NAMES = ["input_ids", "attention_mask", "token_type_ids"] as const;
export const OUTPUT_NAME = "last_hidden_state";

/** Per-tensor symmetric int8 quantization: w ≈ q * scale. */
export function quantizeInt8(w: Float32Array): { q: Int8Array; scale: number } {
  let maxAbs = 0;
  for (let i = 0; i < w.length; i++) maxAbs = Math.max(maxAbs, Math.abs(w[i]));
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { q, scale };
}

class BertGraph {
  readonly g = new OnnxGraphBuilder("bert_encoder");

  constructor(private readonly weights: BertWeights, private readonly quantized: boolean) {}

  private scalarFloat(name: string, value: number): string {
    return this.g.floatConst(name, [], Float32Array.of(value));
  }

  dense(x: string, d: Dense, name: string): string {
    const bias = this.g.floatConst(`${name}.bias`, [d.outputs], d.b);
    if (!this.quantized) {
      const w = this.g.floatConst(`${name}.weight`, [d.inputs, d.outputs], d.w);
      return this.g.op("Add", [this.g.op("MatMul", [x, w]), bias]);
    }
    const { q, scale } = quantizeInt8(d.w);
    const w = this.g.int8Const(`${name}.weight_quantized`, [d.inputs, d.outputs], q);
    const wScale = this.scalarFloat(`${name}.weight_scale`, scale);
    const wZero = this.g.int8Const(`${name}.weight_zero_point`, [], Int8Array.of(0));
    const [xq, xScale, xZero] = this.g.opMulti("DynamicQuantizeLinear", [x], 3);
    const product = this.g.op("MatMulInteger", [xq, w, xZero, wZero]);
    const asFloat = this.g.op("Cast", [product], [{
      name: "to",
      kind: "int",
      value: OnnxType.FLOAT,
    }]);
    const scaled = this.g.op("Mul", [asFloat, this.g.op("Mul", [xScale, wScale])]);
    return this.g.op("Add", [scaled, bias]);
  }

  layerNorm(x: string, n: LayerNormWeights, name: string): string {
    const H = this.weights.shape.hidden;
    return this.g.op("LayerNormalization", [
      x,
      this.g.floatConst(`${name}.weight`, [H], n.gamma),
      this.g.floatConst(`${name}.bias`, [H], n.beta),
    ], [
      { name: "axis", kind: "int", value: -1 },
      { name: "epsilon", kind: "float", value: this.weights.shape.layerNormEps },
    ]);
  }

  embeddings(): string {
    const { shape } = this.weights;
    const H = shape.hidden;
    const g = this.g;
    const word = g.floatConst(
      "embeddings.word_embeddings.weight",
      [shape.vocabSize, H],
      this.weights.wordEmbeddings,
    );
    const position = g.floatConst(
      "embeddings.position_embeddings.weight",
      [shape.maxPositions, H],
      this.weights.positionEmbeddings,
    );
    const type = g.floatConst(
      "embeddings.token_type_embeddings.weight",
      [shape.typeVocabSize, H],
      this.weights.typeEmbeddings,
    );
    const seqLength = g.op("Gather", [
      g.op("Shape", ["input_ids"]),
      g.int64Const("const.one_index", [], [1]),
    ], [{ name: "axis", kind: "int", value: 0 }]);
    const positions = g.op("Range", [
      g.int64Const("const.zero_i64", [], [0]),
      seqLength,
      g.int64Const("const.one_i64", [], [1]),
    ]);
    const sum = g.op("Add", [
      g.op("Add", [g.op("Gather", [word, "input_ids"]), g.op("Gather", [position, positions])]),
      g.op("Gather", [type, "token_type_ids"]),
    ]);
    return this.layerNorm(sum, this.weights.embeddingNorm, "embeddings.LayerNorm");
  }

  /** [batch, 1, 1, sequence]: 0 where attended, MASKED_SCORE where padded. */
  attentionBias(): string {
    const g = this.g;
    const mask = g.op("Cast", ["attention_mask"], [{
      name: "to",
      kind: "int",
      value: OnnxType.FLOAT,
    }]);
    const inverted = g.op("Sub", [this.scalarFloat("const.one_f", 1), mask]);
    const bias = g.op("Mul", [inverted, this.scalarFloat("const.masked_score", MASKED_SCORE)]);
    return g.op("Unsqueeze", [bias, g.int64Const("const.mask_axes", [2], [1, 2])]);
  }

  layer(x: string, bias: string, l: number): string {
    const { shape } = this.weights;
    const w = this.weights.layers[l];
    const g = this.g;
    const headSize = shape.hidden / shape.heads;
    const p = layerPrefix(l);
    const dense = (field: keyof typeof DENSE_NAMES, input: string) =>
      this.dense(input, w[field], `${p}.${DENSE_NAMES[field]}`);
    const splitShape = g.int64Const(`${p}.split_heads`, [4], [0, 0, shape.heads, headSize]);
    const mergeShape = g.int64Const(`${p}.merge_heads`, [3], [0, 0, shape.hidden]);
    const heads = (t: string, perm: number[]) =>
      g.op("Transpose", [g.op("Reshape", [t, splitShape])], [{
        name: "perm",
        kind: "ints",
        value: perm,
      }]);
    const q = heads(dense("query", x), [0, 2, 1, 3]);
    const kT = heads(dense("key", x), [0, 2, 3, 1]);
    const v = heads(dense("value", x), [0, 2, 1, 3]);
    const scores = g.op("Add", [
      g.op("Mul", [
        g.op("MatMul", [q, kT]),
        this.scalarFloat(`${p}.scale`, 1 / Math.sqrt(headSize)),
      ]),
      bias,
    ]);
    const probs = g.op("Softmax", [scores], [{ name: "axis", kind: "int", value: -1 }]);
    const context = g.op("Reshape", [
      g.op("Transpose", [g.op("MatMul", [probs, v])], [{
        name: "perm",
        kind: "ints",
        value: [0, 2, 1, 3],
      }]),
      mergeShape,
    ]);
    const attended = this.layerNorm(
      g.op("Add", [dense("attentionOut", context), x]),
      w.attentionNorm,
      `${p}.${NORM_NAMES.attentionNorm}`,
    );
    const h = dense("intermediate", attended);
    // exact GELU: 0.5 * h * (1 + erf(h / sqrt(2)))
    const erf = g.op("Erf", [g.op("Div", [h, this.scalarFloat(`${p}.sqrt2`, Math.SQRT2)])]);
    const gelu = g.op("Mul", [
      g.op("Mul", [h, g.op("Add", [erf, this.scalarFloat(`${p}.one`, 1)])]),
      this.scalarFloat(`${p}.half`, 0.5),
    ]);
    return this.layerNorm(
      g.op("Add", [dense("output", gelu), attended]),
      w.outputNorm,
      `${p}.${NORM_NAMES.outputNorm}`,
    );
  }

  build(): Promise<Uint8Array> {
    const bias = this.attentionBias();
    let x = this.embeddings();
    for (let l = 0; l < this.weights.layers.length; l++) x = this.layer(x, bias, l);
    this.g.nodes.push({ opType: "Identity", inputs: [x], outputs: [OUTPUT_NAME], name: "output" });
    const tokens = ["batch", "sequence"];
    const graph = this.g.build(
      INPUT_NAMES.map((name) => ({ name, elemType: OnnxType.INT64, dims: tokens })),
      [{
        name: OUTPUT_NAME,
        elemType: OnnxType.FLOAT,
        dims: [...tokens, this.weights.shape.hidden],
      }],
    );
    return encodeModel({
      irVersion: IR_VERSION,
      opsets: [{ domain: "", version: OPSET }],
      producerName: "experiment-runner tiny_bert",
      graph,
    });
  }
}

/** The .onnx bytes of a BERT encoder with these weights. */
export function buildBertOnnx(weights: BertWeights, quantized = false): Promise<Uint8Array> {
  return new BertGraph(weights, quantized).build();
}
