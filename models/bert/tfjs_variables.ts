/**
 * Variables that hold their memory once. `tf.variable(t)` shares t's buffer and
 * `variable.assign(t)` swaps buffers, but both leave t alive: the tensor keeps its buffer
 * after the variable has moved on. With BERT's parameters and Adam's moments (≈ 86 MB each
 * for MiniLM) such leftovers doubled the fine-tuning heap, and the gradient worker's assign
 * of every step's parameters leaked a whole model copy per step.
 */
import type { Tensor, Variable } from "./heavy_packages.ts";
import type { Tf } from "./tfjs_backend.ts";

/** A variable owning `initial` (no other reference to it may remain). */
export function variableOf(tf: Tf, initial: Tensor, trainable: boolean): Variable {
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return variable;
}

/** Sets `variable` to `value` and drops the caller's reference to it. */
export function assignOwned(variable: Variable, value: Tensor): void {
  variable.assign(value);
  value.dispose();
}

/** Sets `variable` to `values` (its shape), keeping no second copy. */
export function assignValues(tf: Tf, variable: Variable, values: Float32Array): void {
  assignOwned(variable, tf.tensor(values, variable.shape));
}
