/**
 * PureSVD scores for a block of users at once, C = Y . V^T (Y: the users' projections x_u V,
 * block x f; V: items x f), on the dense panel kernel (linalg/panel_kernel.ts) in float64:
 * V is packed once, each block of Y is packed and multiplied, and row b of C holds user b's
 * scores of every item. The plain JavaScript kernel is the fallback.
 */
import {
  jsPanelKernel,
  MR,
  nrOf,
  type PanelKernel,
  wasmPanelKernel,
} from "../linalg/panel_kernel.ts";

const NR = nrOf("float64");
const PAGE = 65536;

export class BlockScores {
  readonly block: number;
  readonly ldc: number;
  readonly #view: Float64Array;
  readonly #kernel: PanelKernel;
  readonly #at: { b: number; a: number; c: number };
  readonly #f: number;
  readonly #colStrips: number;

  constructor(v: Float64Array, m: number, f: number, block = 60) {
    this.block = Math.ceil(block / MR) * MR;
    this.#f = f;
    this.#colStrips = Math.ceil(m / NR);
    this.ldc = this.#colStrips * NR;
    const b = 0;
    const a = b + this.ldc * f;
    const c = a + this.block * f;
    const elements = c + this.block * this.ldc;
    const pages = Math.ceil((elements * 8) / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.#view = new Float64Array(memory.buffer, 0, elements);
    this.#at = { b, a, c };
    this.#kernel = wasmPanelKernel(memory, "float64", { shared: false, maximumPages: 65536 }) ??
      jsPanelKernel(this.#view, "float64");
    // V as B strips: strip t, step k, lane q = V[t NR + q][k] (zero past the last item)
    let at = b;
    for (let t = 0; t < this.#colStrips; t++) {
      for (let k = 0; k < f; k++) {
        for (let q = 0; q < NR; q++) {
          const item = t * NR + q;
          this.#view[at++] = item < m ? v[item * f + k] : 0;
        }
      }
    }
  }

  /**
   * Scores of `count` <= block users whose projections are rows of `y` (count x f): user b's
   * score of item j is at scores[b * ldc + j] of the returned view (valid until the next call).
   */
  compute(y: Float64Array, count: number): Float64Array {
    const f = this.#f;
    const view = this.#view;
    const { a, b, c } = this.#at;
    let at = a;
    for (let s = 0; s < this.block; s += MR) {
      for (let k = 0; k < f; k++) {
        for (let r = 0; r < MR; r++) view[at++] = s + r < count ? y[(s + r) * f + k] : 0;
      }
    }
    const rows = Math.ceil(count / MR) * MR;
    view.fill(0, c, c + rows * this.ldc);
    this.#kernel.update(c, this.ldc, a, b, rows / MR, this.#colStrips, f, false);
    return view.subarray(c, c + rows * this.ldc);
  }
}
