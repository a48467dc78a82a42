/**
 * EASE, Steck (2019) "Embarrassingly Shallow Autoencoders for Sparse Data": an item-item
 * weight matrix B in closed form, B = I - P diag(1/diag P) with P = (X^T X + lambda I)^-1
 * (so diag B = 0), scores X . B. `items` caps the catalogue to the most popular items for
 * memory (items^2) and time (items^3); `precision` float32 halves both memory and time.
 */
import type { ModelDefinition } from "../model.ts";
import { type EaseConfig, easeConfigSchema } from "./config.ts";
import { fitEase } from "./fit.ts";
import { recommendEase } from "./recommend.ts";

export { type EaseConfig, easeConfigSchema } from "./config.ts";

export const ease: ModelDefinition<EaseConfig> = {
  type: "ease",
  description: "EASE (Steck 2019): closed-form item-item weights from a dense SPD inverse",
  modules: [import.meta.url],
  config: easeConfigSchema,
  fit: fitEase,
  recommend: recommendEase,
};
