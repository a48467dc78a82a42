/**
 * AdamW as PyTorch and the HF Trainer apply it (decoupled weight decay, bias-corrected
 * moments, eps 1e-8), with the gradients' global L2 norm clipped first and a linear warm-up
 * then linear decay of the learning rate to 0 (HF's get_linear_schedule_with_warmup). Its
 * state (moments, step count) can be read out and restored for checkpoints.
 */
import type { NamedTensor } from "./safetensors.ts";
import type { Tensor, Variable } from "./heavy_packages.ts";
import type { Tf } from "./tfjs_backend.ts";
import { assignOwned, assignValues, variableOf } from "./tfjs_variables.ts";

export interface AdamWOptions {
  learningRate: number;
  weightDecay: number;
  maxGradNorm: number;
  totalSteps: number;
  warmupSteps: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** The factor on the learning rate for the update with 0-based index `step`. */
export function linearSchedule(step: number, warmupSteps: number, totalSteps: number): number {
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}

/** Names of parameters without weight decay (biases and LayerNorm weights, as HF). */
export function decays(name: string): boolean {
  return !name.endsWith(".bias") && !name.includes("LayerNorm");
}

export class AdamW {
  /** updates done so far */
  step = 0;
  private readonly m: Variable[];
  private readonly v: Variable[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly tf: Tf,
    private readonly params: Variable[],
    private readonly names: string[],
    private readonly options: AdamWOptions,
  ) {
    this.m = params.map((p) => variableOf(tf, tf.zerosLike(p), false));
    this.v = params.map((p) => variableOf(tf, tf.zerosLike(p), false));
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /**
   * The global gradient norm before clipping. Each parameter is updated on its own and every
   * intermediate freed at once: a wasm heap keeps its high-water mark, and one tidy around
   * the whole update held ≈ 10 temporaries the size of the model (+870 MB for MiniLM).
   */
  async apply(grads: Tensor[]): Promise<number> {
    const tf = this.tf;
    const squares = grads.map((g) => tf.tidy(() => tf.sum(tf.square(g))));
    const total = tf.addN(squares);
    const norm = Math.sqrt((await total.data())[0]);
    tf.dispose([total, ...squares]);
    const { maxGradNorm } = this.options;
    const clip = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
    const lr = this.options.learningRate *
      linearSchedule(this.step, this.options.warmupSteps, this.options.totalSteps);
    this.step++;
    for (let i = 0; i < this.params.length; i++) this.update(i, grads[i], clip, lr);
    return norm;
  }

  /** One parameter's AdamW step; at most ≈ 3 temporaries of its size alive at a time. */
  private update(i: number, grad: Tensor, clip: number, lr: number): void {
    const tf = this.tf;
    const p = this.params[i];
    const { weightDecay } = this.options;
    const g = clip === 1 ? grad : tf.mul(grad, clip);
    assignOwned(
      this.m[i],
      tf.tidy(() => tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1))),
    );
    assignOwned(
      this.v[i],
      tf.tidy(() => tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2))),
    );
    if (g !== grad) g.dispose();
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const denominator = tf.tidy(() =>
      tf.add(tf.sqrt(tf.div(this.v[i], correction2)), this.epsilon)
    );
    const update = tf.tidy(() => tf.div(tf.div(this.m[i], correction1), denominator));
    denominator.dispose();
    const next = tf.tidy(() => {
      const decayed = weightDecay > 0 && decays(this.names[i])
        ? tf.mul(p, 1 - lr * weightDecay)
        : p;
      return tf.sub(decayed, tf.mul(update, lr));
    });
    update.dispose();
    assignOwned(p, next);
  }

  /** Moments by parameter name (for a checkpoint). */
  async state(): Promise<Record<string, NamedTensor>> {
    const out: Record<string, NamedTensor> = {};
    for (const [i, p] of this.params.entries()) {
      out[`m:${this.names[i]}`] = { shape: p.shape, data: await this.m[i].data() as Float32Array };
      out[`v:${this.names[i]}`] = { shape: p.shape, data: await this.v[i].data() as Float32Array };
    }
    return out;
  }

  restore(step: number, read: (name: string) => Float32Array): void {
    this.step = step;
    this.params.forEach((_, i) => {
      assignValues(this.tf, this.m[i], read(`m:${this.names[i]}`));
      assignValues(this.tf, this.v[i], read(`v:${this.names[i]}`));
    });
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}
