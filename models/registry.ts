/**
 * Every model a spec can name by `model.type`: the built-in rating models, those a user adds
 * with `registerModel`, and the item-score regressors, BERT and the text ridge (planned apart,
 * see runners/plan_items.ts).
 * The spec schema and the list of types are derived from the registry when asked, so a model
 * registered after import is accepted everywhere.
 */
import { z } from "zod";
import type { ModelDefinition } from "./model.ts";
import { recommenderFieldNames, recommenderFields } from "./recommender_fields.ts";
import { BertConfigSchema } from "./bert/config.ts";
import { svd, svdConfigSchema, svdpp, svdppConfigSchema } from "./svdpp/mod.ts";
import { bpr, bprConfigSchema } from "./bpr/mod.ts";
import { ials, ialsConfigSchema } from "./ials/mod.ts";
import { toppop, TopPopConfig } from "./toppop.ts";
import { random, RandomConfig } from "./random.ts";
import { itemknn, knnConfigSchema, rp3beta, rp3betaConfigSchema, userknn } from "./knn/mod.ts";
import { ease, easeConfigSchema } from "./ease/mod.ts";
import { puresvd, puresvdConfigSchema } from "./puresvd/mod.ts";
import { textRidge } from "./text_ridge/mod.ts";

// deno-lint-ignore no-explicit-any
type AnyModel = ModelDefinition<any>;

/** The rating models by type. Read-only outside this file: add models with `registerModel`. */
export const models: Readonly<Record<string, AnyModel>> = {};

const TYPE = /^[a-z][a-z0-9_]*$/;
/** The item-score regressors' types: planned apart, so not in `models`. */
const BERT_TYPE = "bert";
const ITEM_SCORE_TYPES: readonly string[] = [BERT_TYPE, textRidge.type];
/** Bumped by each registration, so derived schemas know when to rebuild. */
let revision = 0;

/**
 * Adds a rating model: from then on a spec may say `model: { type: <def.type>, ... }` with
 * the recommender fields (k, exclude_seen, candidates) and the fields of `def.config`, a
 * zod object schema. Types are unique; the built-in ones (and "bert", "text_ridge") are taken.
 */
export function registerModel<C>(def: ModelDefinition<C>): void {
  const type = def?.type;
  if (typeof type !== "string" || !TYPE.test(type)) {
    throw new Error(
      `registerModel: type ${JSON.stringify(type)} must be lower-case letters, digits and ` +
        `"_", starting with a letter`,
    );
  }
  if (Object.hasOwn(models, type) || ITEM_SCORE_TYPES.includes(type)) {
    throw new Error(`registerModel: a model of type "${type}" is already registered`);
  }
  const shape = (def.config as { shape?: unknown }).shape;
  if (!shape || typeof shape !== "object") {
    throw new Error(`registerModel ${type}: config must be a zod object schema (z.object)`);
  }
  const clash = Object.keys(shape).filter((key) => recommenderFieldNames.includes(key));
  if (clash.length) {
    throw new Error(
      `registerModel ${type}: config field(s) ${clash.join(", ")} are recommender fields ` +
        "every model shares; rename them",
    );
  }
  if (
    !Array.isArray(def.modules) || !def.modules.length ||
    !def.modules.every((m) => typeof m === "string" && m.startsWith("file:"))
  ) {
    throw new Error(
      `registerModel ${type}: modules must list the file URLs of the model's code, ` +
        "usually [import.meta.url], so the cache re-runs its steps when that code changes",
    );
  }
  if (typeof def.fit !== "function" || (!def.recommend && !def.predict)) {
    throw new Error(`registerModel ${type}: needs fit, and recommend or predict (or both)`);
  }
  (models as Record<string, AnyModel>)[type] = def;
  revision++;
}

/** The models that ship, in the order `model.type` lists them. */
const BUILT_IN: AnyModel[] = [
  toppop,
  svdpp,
  svd,
  random,
  itemknn,
  userknn,
  rp3beta,
  ease,
  puresvd,
  ials,
  bpr,
];
for (const model of BUILT_IN) registerModel(model);

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

const bertSchema = z.strictObject({
  /** score regression from synopses: a frozen encoder and a trained head */
  type: z.literal(BERT_TYPE),
  /** a local Hugging Face model folder; null: a tiny BERT generated from the synopses */
  model_dir: z.string().min(1).nullable().default(null),
  ...BertConfigSchema.shape,
});

const textRidgeSchema = z.strictObject({
  /** score regression from synopses: TF-IDF and closed-form ridge (models/text_ridge) */
  type: z.literal(textRidge.type),
  ...textRidge.config.shape,
});

/**
 * The union the built-in models make, which fixes the static type of a model spec
 * (`ModelSpec`); registered models join it at run time only.
 */
function builtInUnion(registered: z.ZodObject[]) {
  return z.discriminatedUnion("type", [
    modelSchema("toppop", TopPopConfig),
    modelSchema("svdpp", svdppConfigSchema),
    modelSchema("svd", svdConfigSchema),
    modelSchema("random", RandomConfig),
    modelSchema("itemknn", knnConfigSchema),
    modelSchema("userknn", knnConfigSchema),
    modelSchema("rp3beta", rp3betaConfigSchema),
    modelSchema("ease", easeConfigSchema),
    modelSchema("puresvd", puresvdConfigSchema),
    modelSchema("ials", ialsConfigSchema),
    modelSchema("bpr", bprConfigSchema),
    ...(registered as never[]),
    bertSchema,
    textRidgeSchema,
  ]);
}
type ModelUnion = ReturnType<typeof builtInUnion>;

let cached: { revision: number; schema: ModelUnion } | undefined;

/** The spec schema of `model`: one branch per registered model, and the item-score ones. */
export function modelSchemas(): ModelUnion {
  if (cached?.revision !== revision) {
    const builtIn = BUILT_IN.map((m) => m.type);
    const registered = Object.values(models)
      .filter((model) => !builtIn.includes(model.type))
      .map((model) => modelSchema(model.type, model.config as unknown as z.ZodObject));
    cached = { revision, schema: builtInUnion(registered) };
  }
  return cached.schema;
}

/** Every `model.type` a spec may name: the rating models and the item-score regressors. */
export function modelTypes(): string[] {
  return [...Object.keys(models), ...ITEM_SCORE_TYPES];
}

export type ModelSpec = z.output<ModelUnion>;
/** A model that regresses anime scores from their text (runners/plan_items.ts). */
export type ItemScoreSpec = Extract<ModelSpec, { type: "bert" | "text_ridge" }>;
/** A model that learns from ratings (runners/plan_ratings.ts). */
export type RatingModelSpec = Exclude<ModelSpec, ItemScoreSpec>;

export function isItemScoreModel(model: ModelSpec): model is ItemScoreSpec {
  return ITEM_SCORE_TYPES.includes(model.type);
}
