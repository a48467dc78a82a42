/**
 * Public API: declare experiments in TypeScript, run them, and extend the model and
 * metric registries, each with one call (`registerModel`, `registerMetric`) made before
 * the spec is validated.
 *
 * ```ts
 * import { defineExperiment, runExperiment, validateSpec } from "./mod.ts";
 * const spec = defineExperiment({ name: "toppop", model: { type: "toppop" } });
 * const { metrics } = await runExperiment(validateSpec(spec));
 * ```
 */
export { defineExperiment } from "./runners/spec/define.ts";
export { loadSpec, validateSpec } from "./runners/spec/load.ts";
export type { Experiment, ExperimentInput } from "./runners/spec/schema.ts";
export { runExperiment } from "./runners/run.ts";
export type { RunOptions, RunOutcome } from "./runners/run.ts";
export { modelTypes, registerModel } from "./models/registry.ts";
export type { ModelDefinition, RecommendRequest, StepContext, TrainData } from "./models/model.ts";
export type { Table } from "./runners/table.ts";
export { metricNames, registerMetric } from "./metrics/registry.ts";
export type { Better, MetricDefinition } from "./metrics/registry.ts";
export type { UserRanking } from "./metrics/ranking/user_ranking.ts";
export type { RatingSums } from "./metrics/rating/rating_metric.ts";
export type { Catalogue, RecommendationLists } from "./metrics/beyond/beyond_metric.ts";
export { UserError } from "./runners/errors.ts";
