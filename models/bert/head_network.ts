/**
 * The head's network: dense layers (ReLU between them) with seeded initialisation. Dense
 * layers carry their own gradient because tfjs-wasm's matMul with a transposed operand is
 * about 8x slower than an explicit transpose followed by a plain matMul, and that product
 * (the weight gradient) dominated a training step.
 */
import type { Tensor, Tensor2D, Variable } from "./heavy_packages.ts";
import { SeededRandom } from "./seeded_random.ts";
import type { Tf } from "./tfjs_backend.ts";

export interface HeadNetwork {
  variables: Variable[];
  /** the weight matrices only (what an L2 penalty applies to) */
  weights: Variable[];
  forward(input: Tensor2D): Tensor2D;
}

/**
 * Layers of `sizes` ([inputs, ...hidden, 1]); weights drawn from seeded He normals (hidden
 * layers, ReLU) or LeCun normals (output layer), biases zero.
 */
export function createHeadNetwork(tf: Tf, sizes: number[], seed: number): HeadNetwork {
  const layers = sizes.slice(1).map((outputs, i) => {
    const inputs = sizes[i];
    const isOutput = i === sizes.length - 2;
    const std = Math.sqrt((isOutput ? 1 : 2) / inputs);
    const w = new SeededRandom(seed, `head:layer${i}`).normalArray(inputs * outputs, std);
    return {
      w: tf.variable(tf.tensor2d(w, [inputs, outputs]), true, `head_w${i}`),
      b: tf.variable(tf.zeros([1, outputs]), true, `head_b${i}`),
    };
  });

  const dense = tf.customGrad((...args: unknown[]) => {
    const [x, w, b, save] = args as [Tensor2D, Tensor2D, Tensor2D, (t: Tensor[]) => void];
    save([x, w]);
    return {
      value: x.matMul(w).add(b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as Tensor2D[];
        const g = dy as Tensor2D;
        return [g.matMul(ws.transpose()), xs.transpose().matMul(g), g.sum(0, true)];
      },
    };
  }) as (x: Tensor2D, w: Tensor, b: Tensor) => Tensor2D;

  return {
    variables: layers.flatMap((l) => [l.w, l.b]),
    weights: layers.map((l) => l.w),
    forward(input: Tensor2D): Tensor2D {
      let h = input;
      layers.forEach((l, i) => {
        h = dense(h, l.w, l.b);
        if (i < layers.length - 1) h = h.relu();
      });
      return h;
    },
  };
}
