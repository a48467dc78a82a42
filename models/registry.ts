import { z } from "zod";
import type { ModelDefinition } from "./model.ts";
import { recommenderFields } from "./recommender_fields.ts";
import { BertConfigSchema } from "./bert/config.ts";
import { svd, svdConfigSchema, svdpp, svdppConfigSchema } from "./svdpp/mod.ts";
import { toppop, TopPopConfig } from "./toppop.ts";

/** Every model a spec can name by `model.type`. */
// deno-lint-ignore no-explicit-any
export const models: Record<string, ModelDefinition<any>> = {
  [toppop.type]: toppop,
  [svdpp.type]: svdpp,
  [svd.type]: svd,
};

/** The spec schema of one model: its type, the recommender fields and its hyperparameters. */
function modelSchema<S extends z.ZodRawShape, T extends string>(type: T, config: z.ZodObject<S>) {
  return z.strictObject({ type: z.literal(type), ...recommenderFields, ...config.shape })
    .superRefine((model, ctx) => {
      // Spreading the shape drops the config's own cross-field checks: run them here.
      const own: Record<string, unknown> = {};
      for (const key of Object.keys(config.shape)) {
        own[key] = (model as Record<string, unknown>)[key];
      }
      const result = config.safeParse(own);
      if (!result.success) {
        for (const issue of result.error.issues) {
          ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
        }
      }
    });
}

export const modelSchemas = z.discriminatedUnion("type", [
  modelSchema("toppop", TopPopConfig),
  modelSchema("svdpp", svdppConfigSchema),
  modelSchema("svd", svdConfigSchema),
  z.strictObject({
    /** score regression from synopses: a frozen encoder and a trained head */
    type: z.literal("bert"),
    /** a local Hugging Face model folder; null: a tiny BERT generated from the synopses */
    model_dir: z.string().min(1).nullable().default(null),
    ...BertConfigSchema.shape,
  }),
]);

/** Every `model.type` a spec may name: the rating models and the item-score regressors. */
export const modelTypes: string[] = modelSchemas.options.map((o) => o.shape.type.value);

export type ModelSpec = z.output<typeof modelSchemas>;
