/**
 * Differentiable ops the BERT encoder needs, written so tfjs-wasm's fast paths are taken and
 * its missing kernels are avoided:
 * - matrix products with gradients that transpose explicitly: the wasm MatMul is fast only
 *   for non-transposed inputs, and tf.matMul's own gradient asks for transposed ones;
 * - an embedding lookup whose gradient is a scatterND (tf.gather's gradient needs
 *   UnsortedSegmentSum, which the wasm backend lacks);
 * - per-layer gradient checkpointing: a layer keeps only its input for backprop and runs
 *   again during the backward pass (memory for about one extra forward pass).
 */
import type { Tensor, Tensor2D } from "./heavy_packages.ts";
import type { Tf } from "./tfjs_backend.ts";

/** a [m, k] x [k, n] product (or batched [b, m, k] x [b, k, n]) with a fast gradient */
export function fastMatMul<T extends Tensor>(tf: Tf, a: T, b: Tensor): T {
  const rank = a.rank;
  const swap = rank === 2 ? [1, 0] : [0, 2, 1];
  const f = tf.customGrad((x, y, save) => {
    (save as (tensors: Tensor[]) => void)([x as Tensor, y as Tensor]);
    return {
      value: tf.matMul(x as Tensor2D, y as Tensor2D),
      gradFunc: (dy, saved) => {
        const [xs, ys] = saved as Tensor2D[];
        const d = dy as Tensor2D;
        return [
          tf.matMul(d, tf.transpose(ys, swap) as Tensor2D),
          tf.matMul(tf.transpose(xs, swap) as Tensor2D, d),
        ];
      },
    };
  });
  return f(a, b) as T;
}

/** Rows `ids` of `table` ([vocab, width]) as [ids.length, width]; gradient by scatterND. */
export function embeddingLookup(tf: Tf, table: Tensor2D, ids: Int32Array): Tensor2D {
  const [vocab, width] = table.shape;
  const f = tf.customGrad((t) => ({
    value: tf.gather(t as Tensor2D, tf.tensor1d(ids, "int32")),
    gradFunc: (dy) =>
      tf.scatterND(tf.tensor2d(ids, [ids.length, 1], "int32"), dy as Tensor2D, [vocab, width]),
  }));
  return f(table) as Tensor2D;
}

/**
 * `layer(x, ...params)` whose backward pass recomputes the layer from its saved input
 * instead of keeping every intermediate tensor alive until backprop.
 */
export function checkpointed(
  tf: Tf,
  layer: (x: Tensor2D, params: Tensor[]) => Tensor2D,
  x: Tensor2D,
  params: Tensor[],
): Tensor2D {
  const f = tf.customGrad((...args) => {
    const save = args.pop() as (tensors: Tensor[]) => void;
    const inputs = args as Tensor[];
    save(inputs);
    return {
      value: tf.tidy(() => layer(inputs[0] as Tensor2D, inputs.slice(1))),
      gradFunc: (dy, saved) => {
        // A gradient computed inside the outer backward pass replaces and then clears the
        // engine's tape (tfjs expects no nesting at gradient depth 0): keep the outer one.
        const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
        const outerTape = state.activeTape;
        try {
          const grads = tf.grads((...again: Tensor[]) =>
            layer(again[0] as Tensor2D, again.slice(1))
          );
          return grads(saved as Tensor[], dy as Tensor2D);
        } finally {
          state.activeTape = outerTape;
        }
      },
    };
  });
  return f(x, ...params) as Tensor2D;
}
