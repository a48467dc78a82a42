import { z } from "zod";
import type { ModelDefinition } from "./model.ts";
import { recommenderFields } from "./recommender_fields.ts";
import { toppop, TopPopConfig } from "./toppop.ts";

/** Every model a spec can name by `model.type`. */
// deno-lint-ignore no-explicit-any
export const models: Record<string, ModelDefinition<any>> = {
  [toppop.type]: toppop,
};

/** The spec schema of one model: its type, the recommender fields and its hyperparameters. */
function modelSchema<S extends z.ZodRawShape, T extends string>(type: T, config: z.ZodObject<S>) {
  return z.strictObject({ type: z.literal(type), ...recommenderFields, ...config.shape });
}

export const modelSchemas = z.discriminatedUnion("type", [
  modelSchema("toppop", TopPopConfig),
]);

export type ModelSpec = z.output<typeof modelSchemas>;

/** The spec schema of the model of this type (undefined for an unknown type). */
export function modelSchemaOf(type: string): z.ZodObject | undefined {
  return modelSchemas.options.find((option) => option.shape.type.value === type) as
    | z.ZodObject
    | undefined;
}
