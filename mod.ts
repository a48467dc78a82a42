/**
 * Public API: declare experiments in TypeScript, run them, and extend the model and
 * metric registries.
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
export { models } from "./models/registry.ts";
export type { ModelDefinition, StepContext, TrainData } from "./models/model.ts";
export { metricNames, rankingMetrics } from "./metrics/registry.ts";
export { UserError } from "./runners/errors.ts";
