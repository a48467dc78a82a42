/**
 * Validated options of the text ridge baseline: which item columns become features, how the
 * synopsis words are weighted (TF-IDF), and the ridge penalties tried on dev. Unknown keys
 * are errors, as for every model (a misspelt option must not fall back to its default).
 */
import { z } from "zod";

/** The item columns a text ridge can read: the synopsis words, and three catalogue fields. */
export const TEXT_RIDGE_FEATURES = ["synopsis", "genres", "type", "studios"] as const;
export type TextRidgeFeature = typeof TEXT_RIDGE_FEATURES[number];

/** Half-decade steps from 0.01 to 100: wide enough for l2-normalised TF-IDF rows. */
export const DEFAULT_LAMBDAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100];

export const TextRidgeConfigSchema = z.object({
  /** one block of columns per entry, each block's rows l2-normalised */
  features: z.array(
    z.enum(TEXT_RIDGE_FEATURES, {
      error: (issue) =>
        `unknown feature column ${JSON.stringify(issue.input)}; known: ` +
        TEXT_RIDGE_FEATURES.join(", "),
    }),
  ).min(1, { error: "name at least one feature column (e.g. [synopsis])" })
    .refine((list) => new Set(list).size === list.length, {
      error: "each feature column at most once",
    })
    .default(["synopsis"]),
  /** a term (word, genre, studio) enters the vocabulary if this many training items have it */
  min_df: z.number().int().min(1).default(2),
  /** the most frequent terms of each block kept (by training document frequency) */
  max_features: z.number().int().min(1).default(20_000),
  /** term frequency as 1 + ln(count) instead of the raw count */
  sublinear_tf: z.boolean().default(true),
  /** ridge penalties λ tried; the one with the lowest dev RMSE is kept */
  lambdas: z.array(
    z.number().positive({ error: "a ridge penalty must be > 0 (0 leaves no unique solution)" }),
  ).min(1, { error: "give at least one λ (or leave lambdas out for the default grid)" })
    .default(DEFAULT_LAMBDAS),
  /** worker threads for the dense Cholesky factorisation (results do not depend on it) */
  threads: z.number().int().min(1).max(64).default(1),
}).strict();

export type TextRidgeConfig = z.infer<typeof TextRidgeConfigSchema>;
export type TextRidgeConfigInput = z.input<typeof TextRidgeConfigSchema>;
