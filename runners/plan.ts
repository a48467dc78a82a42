import { isItemScoreModel } from "../models/registry.ts";
import { planData } from "./plan_data.ts";
import { planItems } from "./plan_items.ts";
import { planRatings } from "./plan_ratings.ts";
import type { Experiment } from "./spec/schema.ts";
import type { PlannedStep } from "./steps/step.ts";

/**
 * Turns a validated spec into its DAG of steps, inputs first. Each step gets only the
 * parameters it depends on, so a change re-runs just the steps downstream of it.
 */
export function planExperiment(spec: Experiment): PlannedStep[] {
  const steps: PlannedStep[] = [];
  planData(spec, steps);
  if (isItemScoreModel(spec.model)) planItems(spec, spec.model, steps);
  else planRatings(spec, spec.model, steps);
  return steps;
}
