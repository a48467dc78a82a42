import type { StepContext } from "../../models/model.ts";
import type { Artifact } from "../table.ts";

/** What a step's code may use besides its inputs. */
export interface StepRunContext extends StepContext {
  /** a private folder for files the artifact carries (they land in its `files/`) */
  filesDir(): string;
  /** the `files/` folder of an input artifact, by input role */
  inputFiles(role: string): string;
  /**
   * a folder in the cache, kept while the step is unfinished, for checkpoints of long work:
   * a killed run's next attempt at the same fingerprint finds them; removed once the
   * artifact is saved
   */
  checkpointDir?(): string;
}

/**
 * A kind of step: a pure function of its parameters and inputs. `modules` are the source
 * files that compute it; their contents (and what they import) enter the fingerprint.
 */
export interface StepKind<P = unknown> {
  kind: string;
  modules: string[];
  run(params: P, inputs: Record<string, Artifact>, ctx: StepRunContext): Promise<Artifact>;
  /** one line for the progress log, e.g. "per-user split, seed 42" */
  describe?(params: P): string;
}

/** A step in an experiment's plan. */
export interface PlannedStep {
  /** unique within the plan; also the name shown in progress and run.json */
  name: string;
  // deno-lint-ignore no-explicit-any
  kind: StepKind<any>;
  params: unknown;
  /** input role -> name of the producing step */
  inputs: Record<string, string>;
  /**
   * code this step runs besides its kind's modules, chosen when planning (the model's
   * modules, for steps that look their model up in the registry): it enters the fingerprint
   */
  modules?: string[];
  /** raw files whose content hash enters the fingerprint */
  rawFiles?: string[];
  /** the spec field that names them, for errors (e.g. "data.dir") */
  rawFilesField?: string;
  /** which RNG the step uses and the seed it derives its own from */
  rng?: "seeded" | "numpy";
  seed?: number;
}
