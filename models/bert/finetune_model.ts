/**
 * What fine-tuning trains: the tfjs BERT (the top layers, or all and the embeddings) and a
 * linear regression output on its pooled vector, on the chosen device. The output starts
 * from seeded small weights, as BERT's initializer_range.
 */
import type { FinetuneConfig } from "./config.ts";
import type { Tensor2D, Variable } from "./heavy_packages.ts";
import { SeededRandom } from "./seeded_random.ts";
import { TfjsBert, type TokenBatch } from "./tfjs_bert.ts";
import { type Tf, tfjsOnDevice } from "./tfjs_backend.ts";
import type { BertWeights } from "./tiny_bert_weights.ts";
import { variableOf } from "./tfjs_variables.ts";

const OUTPUT_STD = 0.02;

export interface FinetuneModel {
  tf: Tf;
  bert: TfjsBert;
  /** every trained parameter; `names` parallel (HF-like, "head.*" for the output) */
  variables: Variable[];
  names: string[];
  /** [batch, 1] standardized scores from the activations entering the trained layers */
  predict(x: Tensor2D, tokens: TokenBatch, pooling: "cls" | "mean"): Tensor2D;
  output(): Promise<{ w: Float32Array; b: number }>;
  dispose(): void;
}

/**
 * `fromStates`: the input is the cached states of the frozen lower part (else token ids).
 */
export async function createFinetuneModel(
  weights: BertWeights,
  config: FinetuneConfig,
  fromStates: boolean,
  warn?: (message: string) => void,
): Promise<FinetuneModel> {
  const tf = await tfjsOnDevice(config.device, warn);
  const total = weights.layers.length;
  const trained = config.layers === "all" ? total : config.layers;
  if (trained > total) {
    throw new Error(
      `model.finetune.layers: ${trained} layers to train, but the encoder has ${total}`,
    );
  }
  if (config.layers === "all" && fromStates) throw new Error("layers: all takes token ids");
  const bert = new TfjsBert(tf, weights, {
    firstLayer: total - trained,
    trainEmbeddings: config.layers === "all",
    checkpointLayers: config.checkpoint_layers,
  });
  const H = weights.shape.hidden;
  const random = new SeededRandom(config.seed, "finetune:output");
  const headW = variableOf(tf, tf.tensor2d(random.normalArray(H, OUTPUT_STD), [H, 1]), true);
  const headB = variableOf(tf, tf.zeros([1]), true);
  return {
    tf,
    bert,
    variables: [...bert.variables, headW, headB],
    names: [...bert.variableNames, "head.weight", "head.bias"],
    predict(x, tokens, pooling) {
      const states = bert.layers(x, tokens);
      return tf.add(tf.matMul(bert.pool(states, tokens, pooling), headW), headB) as Tensor2D;
    },
    output: async () => ({
      w: (await headW.data()).slice() as Float32Array,
      b: (await headB.data())[0],
    }),
    dispose() {
      bert.dispose();
      tf.dispose([headW, headB]);
    },
  };
}
