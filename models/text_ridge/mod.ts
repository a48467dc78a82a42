/**
 * The text ridge baseline: an anime's score from TF-IDF of its synopsis words (and, as an
 * option, its genres, type and studios) by closed-form ridge regression, λ chosen on dev.
 * An item-score regressor like BERT, planned by runners/plan_items.ts; this is its entry
 * in the model registry.
 */
import { TextRidgeConfigSchema } from "./config.ts";

export { type TextRidgeConfig, TextRidgeConfigSchema } from "./config.ts";

export const textRidge = {
  type: "text_ridge" as const,
  description: "TF-IDF of synopses (and catalogue columns), closed-form ridge, λ chosen on dev",
  /** the code the text ridge's steps run: it enters their fingerprints */
  modules: [
    new URL("./features.ts", import.meta.url).href,
    new URL("./fit.ts", import.meta.url).href,
  ],
  config: TextRidgeConfigSchema,
};
