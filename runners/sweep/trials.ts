import { resolve } from "node:path";
import { UserError } from "../errors.ts";
import { specFingerprint } from "../results.ts";
import { loadSpec } from "../spec/load.ts";
import { type Override, parseOverride } from "../spec/overrides.ts";
import type { TypeCheckOptions } from "../spec/type_check.ts";
import type { Experiment } from "../spec/schema.ts";
import { isSuiteFile } from "../suite/run_suite.ts";
import { sweepDesign } from "./design.ts";
import { expandTrials } from "./expand.ts";
import { overrideFor, splitSetArguments } from "./set_arguments.ts";

/** One trial: its own overrides and the validated spec they give. */
export interface Trial {
  /** 1-based, in expansion order */
  index: number;
  /** the trial's own overrides (the swept fields), as `--set` texts will carry them */
  overrides: Override[];
  /** the resolved spec (`sweep: null`), exactly what `run` will see */
  spec: Experiment;
  /** specFingerprint(spec): trials with equal ones are duplicates (resume uses the plan's) */
  fingerprint: string;
}

/** A sweep ready to run: every trial expanded and validated. */
export interface PreparedSweep {
  /** the spec file, absolute */
  file: string;
  /** the spec with the fixed overrides, sweep block included */
  base: Experiment;
  /** `--set` overrides every trial shares */
  fixed: Override[];
  trials: Trial[];
  /** the type check of a TS spec was skipped: the trials skip it too (else a pass is cached) */
  typeCheckSkipped?: boolean;
}

/** The trial spec is a plain run: the sweep block is dropped so `run` ignores it. */
export const NO_SWEEP: Override = parseOverride("sweep=null");

/**
 * Expands a spec file's sweep (its `sweep:` block and the command line's `--set`) into
 * trials and validates every trial's spec before anything runs, so a typo fails at once.
 */
export async function prepareSweep(
  file: string,
  setArguments: string[],
  typeCheck?: TypeCheckOptions,
): Promise<PreparedSweep> {
  if (isSuiteFile(file)) {
    throw new UserError("a suite cannot be swept; sweep one of the experiments it lists", {
      file,
      path: "suite",
    });
  }
  const command = splitSetArguments(setArguments);
  // Type-checked once, here; the trials' loads below read the same file.
  const { spec: base } = await loadSpec(file, command.fixed, { typeCheck });
  const design = sweepDesign(base, command, file);
  const trials: Trial[] = [];
  for (const [i, assignments] of expandTrials(design).entries()) {
    const overrides = assignments.map(({ path, value }) => overrideFor(path, value));
    let spec: Experiment;
    try {
      ({ spec } = await loadSpec(file, [...command.fixed, ...overrides, NO_SWEEP]));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // Name the trial instead of a --set the user never typed (a sweep block's value).
      const texts = overrides.map((o) => o.text);
      const message = texts.reduce(
        (m, text) => m.replace(` (from --set ${text})`, ""),
        error.message,
      );
      throw new UserError(`${message} — in trial ${i + 1} (${texts.join(" ")})`, error.location);
    }
    trials.push({ index: i + 1, overrides, spec, fingerprint: specFingerprint(spec) });
  }
  return {
    file: resolve(file),
    base,
    fixed: command.fixed,
    trials,
    typeCheckSkipped: typeCheck?.skipped !== undefined,
  };
}

/** The `run` arguments of a trial's worker process (after `cli.ts`). */
export function trialRunArguments(
  sweep: PreparedSweep,
  trial: Trial,
  dirs: { cacheDir: string; resultsDir: string },
): string[] {
  // Not --quiet: the step lines go to the trial's log, where they tell what failed.
  const sets = [...sweep.fixed, ...trial.overrides, NO_SWEEP].flatMap((o) => ["--set", o.text]);
  return [
    "run",
    sweep.file,
    ...sets,
    "--cache-dir",
    dirs.cacheDir,
    "--results-dir",
    dirs.resultsDir,
    ...(sweep.typeCheckSkipped ? ["--no-type-check"] : []),
  ];
}
