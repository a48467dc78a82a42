/**
 * AdamW as PyTorch and the HF Trainer apply it (decoupled weight decay, bias-corrected
 * moments, eps 1e-8), with the gradients' global L2 norm clipped first and a linear warm-up
 * then linear decay of the learning rate to 0 (HF's get_linear_schedule_with_warmup). Its
 * state (moments, step count) can be read out and restored for checkpoints.
 */
import type { NamedTensor } from "./safetensors.ts";
import type { Tensor, Variable } from "./heavy_packages.ts";
import type { Tf } from "./tfjs_backend.ts";

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
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** The global gradient norm before clipping. */
  async apply(grads: Tensor[]): Promise<number> {
    const tf = this.tf;
    const { maxGradNorm, weightDecay } = this.options;
    const squares = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const norm = Math.sqrt((await squares.data())[0]);
    squares.dispose();
    const clip = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
    const lr = this.options.learningRate *
      linearSchedule(this.step, this.options.warmupSteps, this.options.totalSteps);
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = clip === 1 ? grads[i] : tf.mul(grads[i], clip);
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const decayed = weightDecay > 0 && decays(this.names[i])
          ? tf.mul(p, 1 - lr * weightDecay)
          : p;
        const update = tf.div(
          tf.div(m, correction1),
          tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon),
        );
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      });
    });
    return norm;
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
    this.params.forEach((p, i) => {
      this.m[i].assign(this.tf.tensor(read(`m:${this.names[i]}`), p.shape));
      this.v[i].assign(this.tf.tensor(read(`v:${this.names[i]}`), p.shape));
    });
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}
