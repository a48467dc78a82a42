/**
 * What a TS spec imports: `defineExperiment`, the registries' one-call extension points and
 * their types, without the runner itself.
 *
 * A TS spec is type-checked before it runs (runners/spec/type_check.ts), and the checker
 * reads every module the spec reaches, types included. `mod.ts` reaches the whole runner,
 * the BERT steps' npm packages among it (about 700 MB, fetched for their types the first time
 * such a spec is checked, and about twice the checking time); this module reaches the spec
 * schema, zod and the registries only (tests/type_check_test.ts keeps it so).
 *
 * ```ts
 * import { defineExperiment } from "../spec.ts";
 * export default defineExperiment({ name: "toppop", model: { type: "toppop" } });
 * ```
 */
export { defineExperiment } from "./runners/spec/define.ts";
export type { Experiment, ExperimentInput } from "./runners/spec/schema.ts";
export { modelTypes, registerModel } from "./models/registry.ts";
export type { ModelDefinition, RecommendRequest, StepContext, TrainData } from "./models/model.ts";
export { metricNames, registerMetric } from "./metrics/registry.ts";
export type { Better, MetricDefinition } from "./metrics/registry.ts";
