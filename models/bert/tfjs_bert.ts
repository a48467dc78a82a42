/**
 * A BERT encoder in TensorFlow.js, trainable: embeddings (word + position + token type 0,
 * LayerNorm), layers of self-attention with the padding mask and an exact-GELU feed-forward
 * (post-LayerNorm, as BERT), then cls or mean pooling. It may hold only the top layers
 * (`firstLayer` > 0): the lower ones ran elsewhere (onnxruntime) and their output states come
 * in as input. Activations are kept 2-D [batch * sequence, hidden] so dense layers are plain
 * matrix products. The weights go back out as BertWeights for saving.
 */
import type { Tensor, Tensor2D, Variable } from "./heavy_packages.ts";
import type { Tf } from "./tfjs_backend.ts";
import type { BertLayerWeights, BertWeights, Dense } from "./tiny_bert_weights.ts";
import { variableOf } from "./tfjs_variables.ts";
import { addRow, checkpointed, embeddingLookup, fastMatMul, mulRow } from "./tfjs_fast_ops.ts";

/** What a masked key adds to attention scores (BERT's extended attention mask). */
const MASKED_SCORE = -10000;
const DENSE_FIELDS = ["query", "key", "value", "attentionOut", "intermediate", "output"] as const;
const NORM_FIELDS = ["attentionNorm", "outputNorm"] as const;

export interface TfjsBertOptions {
  /** the first encoder layer run here; the states after layer firstLayer-1 are the input */
  firstLayer: number;
  /** train the embeddings too (firstLayer 0 only) */
  trainEmbeddings: boolean;
  /** recompute each layer during backprop instead of keeping its activations */
  checkpointLayers: boolean;
}

/** One token batch: right-padded ids and mask, row-major [batch, sequence]. */
export interface TokenBatch {
  batch: number;
  sequence: number;
  ids: Int32Array;
  /** 1 for tokens, 0 for padding */
  mask: Float32Array;
}

export class TfjsBert {
  /** the parameters of the layers held here, in a fixed order (12 per layer, then embeddings) */
  readonly variables: Variable[] = [];
  /** names parallel to `variables`: biases and LayerNorm weights get no weight decay */
  readonly variableNames: string[] = [];
  private readonly layerParams: Variable[][] = [];
  private embeddingParams: Variable[] = [];

  constructor(
    private readonly tf: Tf,
    private readonly weights: BertWeights,
    readonly options: TfjsBertOptions,
  ) {
    const { layers } = weights;
    if (options.firstLayer < 0 || options.firstLayer > layers.length) {
      throw new Error(`firstLayer ${options.firstLayer} outside 0..${layers.length}`);
    }
    for (let l = options.firstLayer; l < layers.length; l++) {
      this.layerParams.push(this.layerVariables(layers[l], l));
    }
    if (options.firstLayer === 0) {
      const { shape } = weights;
      const H = shape.hidden;
      const v = (name: string, data: Float32Array, dims: number[]) =>
        this.variable(name, data, dims, options.trainEmbeddings);
      this.embeddingParams = [
        v("embeddings.word_embeddings.weight", weights.wordEmbeddings, [shape.vocabSize, H]),
        v("embeddings.position_embeddings.weight", weights.positionEmbeddings, [
          shape.maxPositions,
          H,
        ]),
        v("embeddings.token_type_embeddings.weight", weights.typeEmbeddings, [
          shape.typeVocabSize,
          H,
        ]),
        v("embeddings.LayerNorm.weight", weights.embeddingNorm.gamma, [H]),
        v("embeddings.LayerNorm.bias", weights.embeddingNorm.beta, [H]),
      ];
    }
  }

  private variable(name: string, data: Float32Array, dims: number[], trainable: boolean) {
    const variable = variableOf(this.tf, this.tf.tensor(data, dims), trainable);
    if (trainable) {
      this.variables.push(variable);
      this.variableNames.push(name);
    }
    return variable;
  }

  private layerVariables(w: BertLayerWeights, l: number): Variable[] {
    const out: Variable[] = [];
    for (const field of DENSE_FIELDS) {
      const d = w[field];
      out.push(this.variable(`layer${l}.${field}.weight`, d.w, [d.inputs, d.outputs], true));
      out.push(this.variable(`layer${l}.${field}.bias`, d.b, [d.outputs], true));
    }
    for (const field of NORM_FIELDS) {
      const H = this.weights.shape.hidden;
      out.push(this.variable(`layer${l}.${field}.LayerNorm.weight`, w[field].gamma, [H], true));
      out.push(this.variable(`layer${l}.${field}.LayerNorm.bias`, w[field].beta, [H], true));
    }
    return out;
  }

  private layerNorm(x: Tensor2D, gamma: Tensor, beta: Tensor): Tensor2D {
    const tf = this.tf;
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centered), -1, true);
    const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, this.weights.shape.layerNormEps)));
    return addRow(tf, mulRow(tf, normed as Tensor2D, gamma), beta);
  }

  private dense(x: Tensor2D, w: Tensor, b: Tensor): Tensor2D {
    return addRow(this.tf, fastMatMul(this.tf, x, w), b);
  }

  /** The embedding output for token ids, [batch * sequence, hidden]. */
  embed(tokens: TokenBatch): Tensor2D {
    const tf = this.tf;
    if (!this.embeddingParams.length) throw new Error("this encoder holds no embeddings");
    const [word, position, type, gamma, beta] = this.embeddingParams;
    const { batch, sequence } = tokens;
    const H = this.weights.shape.hidden;
    const words = embeddingLookup(tf, word as Tensor2D, tokens.ids);
    const positions = tf.slice(position, [0, 0], [sequence, H]);
    const typeZero = tf.slice(type, [0, 0], [1, H]);
    const sum = tf.add(
      tf.reshape(words, [batch, sequence, H]),
      tf.add(positions, typeZero),
    );
    return this.layerNorm(tf.reshape(sum, [batch * sequence, H]) as Tensor2D, gamma, beta);
  }

  /** [batch, 1, 1, sequence] additive attention bias of a padding mask. */
  attentionBias(tokens: TokenBatch): Tensor {
    const tf = this.tf;
    const mask = tf.tensor4d(tokens.mask, [tokens.batch, 1, 1, tokens.sequence]);
    return tf.mul(tf.sub(1, mask), MASKED_SCORE);
  }

  private layer(x: Tensor2D, p: Tensor[], bias: Tensor, batch: number, sequence: number) {
    const tf = this.tf;
    const { hidden: H, heads } = this.weights.shape;
    const d = H / heads;
    const toHeads = (t: Tensor2D, perm: number[], rows: number, cols: number) =>
      tf.reshape(
        tf.transpose(tf.reshape(t, [batch, sequence, heads, d]), perm),
        [batch * heads, rows, cols],
      );
    const q = toHeads(this.dense(x, p[0], p[1]), [0, 2, 1, 3], sequence, d);
    const kT = toHeads(this.dense(x, p[2], p[3]), [0, 2, 3, 1], d, sequence);
    const v = toHeads(this.dense(x, p[4], p[5]), [0, 2, 1, 3], sequence, d);
    const scores = tf.add(
      tf.reshape(tf.mul(fastMatMul(tf, q, kT), 1 / Math.sqrt(d)), [
        batch,
        heads,
        sequence,
        sequence,
      ]),
      bias,
    );
    const probs = tf.reshape(tf.softmax(scores), [batch * heads, sequence, sequence]);
    const context = tf.reshape(
      tf.transpose(tf.reshape(fastMatMul(tf, probs, v), [batch, heads, sequence, d]), [
        0,
        2,
        1,
        3,
      ]),
      [batch * sequence, H],
    ) as Tensor2D;
    const attended = this.layerNorm(tf.add(this.dense(context, p[6], p[7]), x), p[12], p[13]);
    const h = this.dense(attended, p[8], p[9]);
    const gelu = tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.mul(h, Math.SQRT1_2)), 1)) as Tensor2D;
    return this.layerNorm(tf.add(this.dense(gelu, p[10], p[11]), attended), p[14], p[15]);
  }

  /** The states after the last layer, from the states entering `firstLayer`. */
  layers(x: Tensor2D, tokens: TokenBatch): Tensor2D {
    const bias = this.attentionBias(tokens);
    const { batch, sequence } = tokens;
    for (const params of this.layerParams) {
      x = this.options.checkpointLayers
        ? checkpointed(
          this.tf,
          (input, p) => this.layer(input, p.slice(0, -1), p[p.length - 1], batch, sequence),
          x,
          [...params, bias],
        )
        : this.layer(x, params, bias, batch, sequence);
    }
    return x;
  }

  /** One vector per sequence, [batch, hidden]: the [CLS] state or the masked mean. */
  pool(states: Tensor2D, tokens: TokenBatch, pooling: "cls" | "mean"): Tensor2D {
    const tf = this.tf;
    const H = this.weights.shape.hidden;
    const { batch, sequence } = tokens;
    const cube = tf.reshape(states, [batch, sequence, H]);
    if (pooling === "cls") return tf.reshape(tf.slice(cube, [0, 0, 0], [batch, 1, H]), [batch, H]);
    const mask = tf.tensor3d(tokens.mask, [batch, sequence, 1]);
    const counts = tf.sum(mask, 1);
    return tf.div(tf.sum(tf.mul(cube, mask), 1), counts) as Tensor2D;
  }

  /** The current weights, the layers below `firstLayer` as loaded. */
  async toWeights(): Promise<BertWeights> {
    const values = new Map<Variable, Float32Array>();
    for (const v of [...this.layerParams.flat(), ...this.embeddingParams]) {
      values.set(v, (await v.data()) as Float32Array);
    }
    return this.weightsFrom((v) => values.get(v)!);
  }

  /**
   * What another thread needs to build this encoder: `trained` (values of `variables`, in
   * order; e.g. views of shared memory, so nothing is copied) for the trained parameters, and
   * empty arrays for what it never reads (the layers below `firstLayer`; the embeddings when
   * it starts above them). Only frozen embeddings of a `firstLayer` 0 encoder go as loaded.
   */
  sharedWeights(trained: Float32Array[]): BertWeights {
    const empty = new Float32Array(0);
    const values = new Map(this.variables.map((v, i) => [v, trained[i]]));
    const out = this.weightsFrom((v) => values.get(v) ?? empty);
    const dense = (d: Dense): Dense => ({ ...d, w: empty, b: empty });
    const norm = { gamma: empty, beta: empty };
    for (let l = 0; l < this.options.firstLayer; l++) {
      const layer = { ...out.layers[l], attentionNorm: norm, outputNorm: norm };
      for (const field of DENSE_FIELDS) layer[field] = dense(layer[field]);
      out.layers[l] = layer;
    }
    const { wordEmbeddings, positionEmbeddings, typeEmbeddings, embeddingNorm } = this.weights;
    if (!this.embeddingParams.length) {
      Object.assign(out, {
        wordEmbeddings: empty,
        positionEmbeddings: empty,
        typeEmbeddings: empty,
        embeddingNorm: norm,
      });
    } else if (!this.options.trainEmbeddings) {
      Object.assign(out, { wordEmbeddings, positionEmbeddings, typeEmbeddings, embeddingNorm });
    }
    return out;
  }

  /** The loaded weights with the held parameters' values as `read` gives them. */
  private weightsFrom(read: (v: Variable) => Float32Array): BertWeights {
    const out: BertWeights = { ...this.weights, layers: [...this.weights.layers] };
    this.layerParams.forEach((p, i) => {
      const l = this.options.firstLayer + i;
      const layer = { ...this.weights.layers[l] };
      DENSE_FIELDS.forEach((field, j) => {
        const d: Dense = { ...layer[field], w: read(p[2 * j]), b: read(p[2 * j + 1]) };
        layer[field] = d;
      });
      NORM_FIELDS.forEach((field, j) => {
        layer[field] = { gamma: read(p[12 + 2 * j]), beta: read(p[13 + 2 * j]) };
      });
      out.layers[l] = layer;
    });
    if (this.embeddingParams.length) {
      const [word, position, type, gamma, beta] = this.embeddingParams.map(read);
      Object.assign(out, {
        wordEmbeddings: word,
        positionEmbeddings: position,
        typeEmbeddings: type,
        embeddingNorm: { gamma, beta },
      });
    }
    return out;
  }

  dispose(): void {
    this.tf.dispose([...this.layerParams.flat(), ...this.embeddingParams]);
  }
}
