import type { ExperimentInput } from "./schema.ts";

/**
 * Declares an experiment in TypeScript with full typing; the runner validates it with the
 * same schema as YAML specs. Use as the default export of `experiments/<name>.ts`.
 */
export function defineExperiment<const T extends ExperimentInput>(spec: T): T {
  return spec;
}
