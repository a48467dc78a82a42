/**
 * Differentiable ops the BERT encoder needs, written so tfjs-wasm's fast paths are taken and
 * its missing kernels are avoided:
 * - matrix products with gradients that transpose explicitly: the wasm MatMul is fast only
 *   for non-transposed inputs, and tf.matMul's own gradient asks for transposed ones; batched
 *   (attention) products run in a SIMD wasm kernel of ours (wasm/batched_matmul.ts);
 * - an embedding lookup whose gradient is a scatterND (tf.gather's gradient needs
 *   UnsortedSegmentSum, which the wasm backend lacks);
 * - row-vector add and multiply (biases, LayerNorm) whose vector gradient, a column sum, is a
 *   ones-row matrix product: the wasm Sum over axis 0 transposes first and is ~20x slower;
 * - per-layer gradient checkpointing: a layer keeps only its input for backprop and runs
 *   again during the backward pass (memory for about one extra forward pass).
 */
import type { Tensor, Tensor2D, Tensor3D } from "./heavy_packages.ts";
import { batchedMatMul } from "./wasm/batched_matmul.ts";
import { readFloats, type Tf } from "./tfjs_backend.ts";

/** a [m, k] x [k, n] product (or batched [b, m, k] x [b, k, n]) with a fast gradient */
export function fastMatMul<T extends Tensor>(tf: Tf, a: T, b: Tensor): T {
  const rank = a.rank;
  const swap = rank === 2 ? [1, 0] : [0, 2, 1];
  const product = rank === 3 && SIMD_KERNEL_BACKENDS.has(tf.getBackend())
    ? (x: Tensor, y: Tensor) => simdBatchedMatMul(tf, x as Tensor3D, y as Tensor3D)
    : (x: Tensor, y: Tensor) => tf.matMul(x as Tensor2D, y as Tensor2D);
  const f = tf.customGrad((x, y, save) => {
    (save as (tensors: Tensor[]) => void)([x as Tensor, y as Tensor]);
    return {
      value: product(x as Tensor, y as Tensor),
      gradFunc: (dy, saved) => {
        const [xs, ys] = saved as Tensor[];
        const d = dy as Tensor;
        return [product(d, tf.transpose(ys, swap)), product(tf.transpose(xs, swap), d)];
      },
    };
  });
  return f(a, b) as T;
}

/** backends whose tensors can be read synchronously into the SIMD kernel */
const SIMD_KERNEL_BACKENDS = new Set(["wasm", "cpu"]);

/** [n, m, k] x [n, k, p] in the SIMD wasm kernel (tfjs-wasm runs batched products scalar). */
function simdBatchedMatMul(tf: Tf, a: Tensor3D, b: Tensor3D): Tensor3D {
  const [n, m, k] = a.shape;
  const p = b.shape[2];
  const out = batchedMatMul(
    readFloats(tf, a),
    readFloats(tf, b),
    n,
    m,
    k,
    p,
  );
  return tf.tensor3d(out, [n, m, p]);
}

/** Sums of the columns of [rows, n] `t` as [n], by a fast matrix product. */
function columnSum(tf: Tf, t: Tensor2D): Tensor {
  const [rows, n] = t.shape;
  return tf.reshape(tf.matMul(tf.ones([1, rows]) as Tensor2D, t), [n]);
}

/** x [rows, n] + b [n], with a fast gradient for b. */
export function addRow(tf: Tf, x: Tensor2D, b: Tensor): Tensor2D {
  const f = tf.customGrad((xs, bs) => ({
    value: tf.add(xs as Tensor2D, bs as Tensor),
    gradFunc: (dy) => [dy as Tensor2D, columnSum(tf, dy as Tensor2D)],
  }));
  return f(x, b) as Tensor2D;
}

/** x [rows, n] * g [n], with a fast gradient for g. */
export function mulRow(tf: Tf, x: Tensor2D, g: Tensor): Tensor2D {
  const f = tf.customGrad((xs, gs, save) => {
    (save as (tensors: Tensor[]) => void)([xs as Tensor, gs as Tensor]);
    return {
      value: tf.mul(xs as Tensor2D, gs as Tensor),
      gradFunc: (dy, saved) => {
        const [xSaved, gSaved] = saved as Tensor[];
        return [
          tf.mul(dy as Tensor2D, gSaved),
          columnSum(tf, tf.mul(dy as Tensor2D, xSaved) as Tensor2D),
        ];
      },
    };
  });
  return f(x, g) as Tensor2D;
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
